import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RenderedCache } from './rendered-cache.ts'

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
