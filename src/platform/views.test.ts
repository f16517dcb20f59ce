import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createViews } from './views.ts'

test('trim strips the same whitespace as before, and keeps escaped HTML escaped and safe HTML safe', () => {
  const env = createViews({ reload: false })
  assert.equal(
    env.renderString('[{{ text | trim }}]', { text: '\n\t <b>Hi</b> \u00a0\n' }),
    '[&lt;b&gt;Hi&lt;/b&gt;]',
  )
  assert.equal(env.renderString('[{{ text | safe | trim }}]', { text: '  <b>Hi</b>\n' }), '[<b>Hi</b>]')
  assert.equal(env.renderString('[{{ missing | trim }}]', {}), '[]')
})
