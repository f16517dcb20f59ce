import assert from 'node:assert/strict'
import { test } from 'node:test'
import { MAIL_KINDS, renderMail, serviceLink } from './messages.ts'

test('every message is fixed text with the link as its only variable part', () => {
  for (const kind of MAIL_KINDS) {
    const one = renderMail(kind, 'https://one.example', '/a/1')
    const other = renderMail(kind, 'https://other.example/adoption', '/b/2')
    assert.equal(one.subject, other.subject)
    assert.equal(
      one.body.replace('https://one.example/a/1', 'LINK'),
      other.body.replace('https://other.example/adoption/b/2', 'LINK'),
    )
    assert.equal(one.body.match(/https?:\/\//g)?.length, 1, `${kind} carries exactly one link`)
  }
})

test('links keep the path the service lives under', () => {
  assert.equal(
    serviceLink('https://x.example/adoption/', '/invitations/abc'),
    'https://x.example/adoption/invitations/abc',
  )
  assert.equal(serviceLink('http://127.0.0.1:3000', '/'), 'http://127.0.0.1:3000/')
})
