import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testDatabase } from '../../test/support/database.ts'
import type { DatabaseHandle } from '../db/database.ts'
import { accounts } from '../features/accounts/service.ts'
import { sessionStore } from './sessions.ts'

describe('sessions', () => {
  let handle: DatabaseHandle
  let userId: string

  before(async () => {
    handle = await testDatabase()
    const people = accounts(handle.db)
    const agencyId = await people.addAgency({ name: 'A', kind: 'vaa' })
    userId = await people.addUser({ agencyId, email: 's@agency.example', name: 'S', role: 'iro' })
  })
  after(() => handle.close())

  test('a session started by one app instance is resumed by another, and only its hash is stored', async () => {
    const instanceA = sessionStore(handle.db, 30)
    const instanceB = sessionStore(handle.db, 30)
    const { token, session } = await instanceA.start(userId, 'test')
    assert.notEqual(session.id, token)
    const resumed = await instanceB.resume(token)
    assert.equal(resumed?.user.id, userId)
    assert.equal(resumed?.session.second_factor_done, false)
  })

  test('completing sign-in changes the token; the old one opens nothing', async () => {
    const store = sessionStore(handle.db, 30)
    const { token, session } = await store.start(userId, 'test')
    const fresh = await store.completeSignIn(session.id)
    assert.equal(await store.resume(token), null)
    assert.equal((await store.resume(fresh))?.session.second_factor_done, true)
  })

  test('idle sessions and deactivated users are refused', async () => {
    const store = sessionStore(handle.db, 30)
    const idle = await store.start(userId, 'test')
    await handle.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('id', '=', idle.session.id)
      .execute()
    assert.equal(await store.resume(idle.token), null)

    const live = await store.start(userId, 'test')
    await handle.db.updateTable('users').set({ active: false }).where('id', '=', userId).execute()
    assert.equal(await store.resume(live.token), null)
    await handle.db.updateTable('users').set({ active: true }).where('id', '=', userId).execute()
    assert.equal(await store.resume(live.token), null, 'an ended session stays ended')
  })
})
