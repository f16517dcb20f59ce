import assert from 'node:assert/strict'
import { test } from 'node:test'
import { aroundRenderer, createViews } from './views.ts'

test('trim strips the same whitespace as before, and keeps escaped HTML escaped and safe HTML safe', () => {
  const env = createViews({ reload: false })
  assert.equal(
    env.renderString('[{{ text | trim }}]', { text: '\n\t <b>Hi</b> \u00a0\n' }),
    '[&lt;b&gt;Hi&lt;/b&gt;]',
  )
  assert.equal(env.renderString('[{{ text | safe | trim }}]', { text: '  <b>Hi</b>\n' }), '[<b>Hi</b>]')
  assert.equal(env.renderString('[{{ missing | trim }}]', {}), '[]')
})

test('a page rendered around parts kept earlier: each part where the template shows it, bytes as kept', () => {
  const env = createViews({ reload: false })
  let sent: Buffer | undefined
  const reply = {
    pageContext: {},
    type() {
      return this
    },
    send(body: Buffer) {
      sent = body
      return this
    },
  }
  const around = aroundRenderer(env)
  const kept = (text: string) => Buffer.from(text)
  // The template is a string here: renderString's output is what env.render would give for a file.
  env.render = ((_name: string, data: Record<string, unknown>) =>
    env.renderString('<main>{{ second }}|{{ title }}|{{ first }}</main>', data)) as typeof env.render
  around.call(reply as never, 'page.njk', { title: 'T & co' }, [
    { name: 'first', bytes: kept('<p>1 – kept</p>') },
    { name: 'second', bytes: kept('<p>2</p>') },
  ])
  assert.equal(sent?.toString(), '<main><p>2</p>|T &amp; co|<p>1 – kept</p></main>')
  assert.throws(
    () => around.call(reply as never, 'page.njk', {}, [{ name: 'third', bytes: kept('x') }]),
    /does not show third/,
  )
})
