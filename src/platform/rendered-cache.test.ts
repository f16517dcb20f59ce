import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RenderedCache, renderKept } from './rendered-cache.ts'

test('keeps what it is given, within its size, dropping the least recently used first', () => {
  const cache = new RenderedCache(10)
  cache.set('a', Buffer.from('aaaa'))
  cache.set('b', Buffer.from('bbbb'))
  assert.deepEqual(cache.get('a'), Buffer.from('aaaa')) // a is now the most recent
  cache.set('c', Buffer.from('cccc')) // 12 bytes: b goes
  assert.deepEqual(cache.get('b'), undefined)
  assert.deepEqual(cache.get('a'), Buffer.from('aaaa'))
  assert.deepEqual(cache.get('c'), Buffer.from('cccc'))
  assert.equal(cache.size, 8)
})

test('replacing an entry counts its new size only; anything larger than the whole cache is not kept', () => {
  const cache = new RenderedCache(10)
  cache.set('a', Buffer.from('aaaa'))
  cache.set('a', Buffer.from('aaaaaa'))
  assert.equal(cache.size, 6)
  cache.set('huge', Buffer.alloc(11))
  assert.deepEqual(cache.get('huge'), undefined)
  assert.deepEqual(cache.get('a'), Buffer.from('aaaaaa'))
})

test('a part is kept under a digest of what it is made of: other content, another rendering', () => {
  const cache = new RenderedCache(1_000)
  let renders = 0
  const views = {
    render: (_template: string, data: object) => {
      renders++
      return `<p>${(data as { text: string }).text}</p>`
    },
  }
  const part = (template: string, text: string, from = [text]) =>
    renderKept(cache, views, template, from, () => ({ text })).toString()
  assert.equal(part('part.njk', 'Before'), '<p>Before</p>')
  assert.equal(part('part.njk', 'Before'), '<p>Before</p>')
  assert.equal(renders, 1, 'the same content is not rendered again')
  assert.equal(part('part.njk', 'After'), '<p>After</p>')
  assert.equal(part('other.njk', 'After'), '<p>After</p>')
  assert.equal(renders, 3, 'changed content, or another template, is rendered anew')
  // The parts are told apart: ["ab", "c"] is not ["a", "bc"].
  assert.equal(part('part.njk', 'one', ['ab', 'c']), '<p>one</p>')
  assert.equal(part('part.njk', 'two', ['a', 'bc']), '<p>two</p>')
})
