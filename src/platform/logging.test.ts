import assert from 'node:assert/strict'
import { test } from 'node:test'
import { loggedPath, loggerOptions } from './logging.ts'

// A link that works as a credential never reaches the log: not in the path, not in a query string.

test('secret links are cut from the path the log keeps', () => {
  const token = 'x'.repeat(43)
  assert.equal(loggedPath(`/birth-family/${token}`), '/birth-family/…')
  assert.equal(loggedPath(`/birth-family/${token}?from=letter`), '/birth-family/…')
  assert.equal(loggedPath('/birth-family/answer'), '/birth-family/…')
  assert.equal(loggedPath(`/invitations/${token}`), '/invitations/…')
  assert.equal(loggedPath('/birth-family'), '/birth-family', 'the code page itself names nothing')
  assert.equal(loggedPath('/children?search=Ada'), '/children')
  assert.equal(loggedPath('/plans/1234/birth-family'), '/plans/1234/birth-family')
})

test('the request serializer writes the cut path', () => {
  const options = loggerOptions('info') as { serializers: { req: (r: object) => { path: string } } }
  const logged = options.serializers.req({ id: 'r1', method: 'GET', url: `/birth-family/${'y'.repeat(43)}` })
  assert.equal(logged.path, '/birth-family/…')
  assert.ok(!JSON.stringify(logged).includes('yyyy'))
})
