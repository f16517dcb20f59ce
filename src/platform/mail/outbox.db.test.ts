import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle } from '../../db/database.ts'
import { MAIL_KINDS, type MailKind } from './messages.ts'
import { InvalidMailError, queueMail } from './outbox.ts'
import { folderTransport, readFolderMail } from './transports.ts'
import { drainMail } from './worker.ts'

// Names nobody has, so that finding one anywhere in an e-mail can only mean it leaked there.
const CANARIES = ['Zephyrine', 'Quillbrook', 'Marrowgate', 'Oddvarsson', 'Tindlewick']

describe('mail outbox', () => {
  let handle: DatabaseHandle
  let mailDir: string

  before(async () => {
    handle = await testDatabase()
    mailDir = await mkdtemp(join(tmpdir(), 'outbox-mail-'))
  })
  after(async () => {
    await handle.close()
    await rm(mailDir, { recursive: true, force: true })
  })

  const pending = async () =>
    (await handle.db.selectFrom('mail_outbox').selectAll().where('sent_at', 'is', null).execute()).length

  test('a message is queued in the transaction of the change, and goes away with it', async () => {
    const before = await pending()
    await assert.rejects(
      handle.db.transaction().execute(async (trx) => {
        await queueMail(trx, { to: 'worker@agency.example', kind: 'reminder', link: '/children' })
        throw new Error('the change failed')
      }),
    )
    assert.equal(await pending(), before)
    await handle.db.transaction().execute(async (trx) => {
      await queueMail(trx, { to: 'worker@agency.example', kind: 'reminder', link: '/children' })
    })
    assert.equal(await pending(), before + 1)
  })

  test('links must be plain paths on this service; addresses and kinds must be real', async () => {
    const refused = [
      '/invitations/abc?name=Zephyrine',
      '/children/1#Zephyrine',
      'https://elsewhere.example/invitations/abc',
      '//elsewhere.example/invitations/abc',
      '/children/Zephyrine%20Quillbrook',
      'invitations/abc',
      '/children/../admin',
      '/children/Zephyrine Quillbrook',
    ]
    for (const link of refused) {
      await assert.rejects(
        queueMail(handle.db, { to: 'a@b.example', kind: 'reminder', link }),
        InvalidMailError,
        link,
      )
    }
    await assert.rejects(
      queueMail(handle.db, { to: 'Zephyrine', kind: 'reminder', link: '/' }),
      InvalidMailError,
    )
    await assert.rejects(
      queueMail(handle.db, { to: 'a@b.example', kind: 'hello' as MailKind, link: '/' }),
      InvalidMailError,
    )
    await assert.rejects(
      queueMail(handle.db, {
        to: 'a@b.example',
        kind: 'reminder',
        link: '/',
        dedupeKey: 'review for Zephyrine',
      }),
      InvalidMailError,
    )
  })

  test('a message queued twice under one dedupe key is queued once', async () => {
    const mail = {
      to: 'iro@agency.example',
      kind: 'reminder' as const,
      link: '/plans/p1/reviews',
      dedupeKey: 'review-due:p1:2027-01-05',
    }
    assert.equal(await queueMail(handle.db, mail), true)
    assert.equal(await queueMail(handle.db, mail), false)
    const rows = await handle.db
      .selectFrom('mail_outbox')
      .select('id')
      .where('dedupe_key', '=', mail.dedupeKey)
      .execute()
    assert.equal(rows.length, 1)
  })

  test('no e-mail carries a child’s or an adopter’s name, even where the address does', async () => {
    // The people are on record, as they would be when a real invitation or reminder is sent.
    const agency = await handle.db
      .insertInto('agencies')
      .values({ name: 'Canary Agency', kind: 'raa' })
      .returning('id')
      .executeTakeFirstOrThrow()
    const child = await handle.db
      .insertInto('children')
      .values({
        agency_id: agency.id,
        first_name: CANARIES[0] ?? '',
        last_name: CANARIES[1] ?? '',
        preferred_name: CANARIES[2] ?? null,
        date_of_birth: '2020-02-02',
        sex: 'F',
        ethnicity: 'WBRI',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const family = await handle.db
      .insertInto('families')
      .values({ agency_id: agency.id, approving_agency_id: agency.id })
      .returning('id')
      .executeTakeFirstOrThrow()
    const adopterEmail = `${CANARIES[3]}.${CANARIES[4]}@example.com`.toLowerCase()
    await handle.db
      .insertInto('adopters')
      .values({
        family_id: family.id,
        first_name: CANARIES[3] ?? '',
        last_name: CANARIES[4] ?? '',
        date_of_birth: '1985-05-05',
        email: adopterEmail,
      })
      .execute()

    const kinds: MailKind[] = MAIL_KINDS
    for (const kind of kinds) {
      await queueMail(handle.db, { to: adopterEmail, kind, link: `/children/${child.id}` })
    }
    await drainMail({
      db: handle.db,
      transport: folderTransport(mailDir, 'service@agency.example'),
      serviceUrl: 'https://adoption-support.example',
    })

    const sent = (await readFolderMail(mailDir)).filter((mail) => mail.to === adopterEmail)
    assert.deepEqual(sent.map((mail) => mail.subject).length, kinds.length)
    for (const mail of sent) {
      assert.deepEqual(mail.links, [`https://adoption-support.example/children/${child.id}`])
      for (const name of CANARIES) {
        assert.doesNotMatch(
          `${mail.subject}\n${mail.body}`,
          new RegExp(name, 'i'),
          `${mail.subject} names ${name}`,
        )
      }
    }
    // Nor does the outbox itself, apart from the address it must send to.
    const rows = await handle.db
      .selectFrom('mail_outbox')
      .selectAll()
      .where('to_address', '=', adopterEmail)
      .execute()
    for (const row of rows) {
      const { to_address: _address, ...rest } = row
      for (const name of CANARIES) assert.doesNotMatch(JSON.stringify(rest), new RegExp(name, 'i'))
    }
  })
})
