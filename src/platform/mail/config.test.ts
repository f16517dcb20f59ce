import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, readConfig } from '../../config.ts'

const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a'.repeat(40),
  SERVICE_URL: 'https://adoption-support.example',
}
const notifyKey = `live-${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}-${'2'.repeat(8)}-2222-2222-2222-${'2'.repeat(12)}`
const templateId = '3f1c5a36-7b5e-4a0e-9d8e-2b6f1d0c9a77'

test('outside production mail goes to a folder beside the embedded database', () => {
  assert.deepEqual(readConfig({}).mail, {
    transport: 'folder',
    dir: 'data/mail',
    from: 'Adoption Support <no-reply@adoption-support.invalid>',
  })
  const elsewhere = readConfig({ DATA_DIR: '/srv/as' }).mail
  assert.equal(elsewhere.transport === 'folder' ? elsewhere.dir : undefined, '/srv/as/mail')
  const chosen = readConfig({ MAIL_DIR: '/tmp/outbox', MAIL_FROM: 'Agency <a@agency.example>' }).mail
  assert.deepEqual(chosen, { transport: 'folder', dir: '/tmp/outbox', from: 'Agency <a@agency.example>' })
})

test('production names its mail transport on purpose, with every setting it needs', () => {
  assert.throws(() => readConfig(production), /MAIL_TRANSPORT/)
  assert.throws(() => readConfig({ ...production, MAIL_TRANSPORT: 'smtp' }), /SMTP_URL, MAIL_FROM/)
  assert.throws(
    () => readConfig({ ...production, MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.internal:587' }),
    /MAIL_FROM/,
  )
  assert.throws(
    () => readConfig({ ...production, MAIL_TRANSPORT: 'notify' }),
    /NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID/,
  )
  assert.deepEqual(
    readConfig({
      ...production,
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: 'smtps://user:secret@mail.internal:465',
      MAIL_FROM: 'Agency <no-reply@agency.example>',
    }).mail,
    {
      transport: 'smtp',
      url: 'smtps://user:secret@mail.internal:465',
      from: 'Agency <no-reply@agency.example>',
    },
  )
  assert.deepEqual(
    readConfig({
      ...production,
      MAIL_TRANSPORT: 'notify',
      NOTIFY_API_KEY: notifyKey,
      NOTIFY_TEMPLATE_ID: templateId,
    }).mail,
    { transport: 'notify', apiKey: notifyKey, templateId },
  )
})

test('mail settings that are not valid are named, in any environment', () => {
  assert.throws(() => readConfig({ MAIL_TRANSPORT: 'carrier-pigeon' }), /MAIL_TRANSPORT/)
  assert.throws(() => readConfig({ MAIL_TRANSPORT: 'smtp' }), ConfigError)
  assert.throws(() => readConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'https://mail.example' }), /SMTP_URL/)
  assert.throws(() => readConfig({ NOTIFY_TEMPLATE_ID: 'not-a-uuid' }), /NOTIFY_TEMPLATE_ID/)
  assert.equal(
    readConfig({ MAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://localhost:1025' }).mail.transport,
    'smtp',
  )
})
