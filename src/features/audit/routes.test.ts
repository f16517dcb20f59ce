import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { type TestApp, type TestUser, testApp } from '../../../test/support/app.ts'
import { childForm as child } from '../../../test/support/children.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import { todayInEngland } from '../../platform/dates.ts'
import { childrenService } from '../children/service.ts'
import { nextDay } from './filters.ts'

/** The events table of a page, so that names in the filters' lists do not count as events. */
function table(body: string): string {
  return /<table[\s\S]*?<\/table>/.exec(body)?.[0] ?? ''
}

const rowsOf = (body: string) => (table(body).match(/<tr class="govuk-table__row">/g) ?? []).length - 1

function dateQuery(prefix: string, iso: string): string {
  const [year, month, day] = iso.split('-')
  return `${prefix}-day=${Number(day)}&${prefix}-month=${Number(month)}&${prefix}-year=${year}`
}

describe('audit pages', () => {
  let t: TestApp
  let worker: TestUser
  let admin: TestUser
  let reading: WebClient
  let ada: string
  let ben: string

  before(async () => {
    t = await testApp()
    const agencyId = await t.addAgency()
    worker = await t.addUser(agencyId, 'social-worker')
    admin = await t.addUser(agencyId, 'agency-admin')
    const working = new WebClient(t.app)
    await working.signIn(worker)
    await working.get('/children/new')
    const added = await working.post('/children', child)
    ada = String(added.headers.location).split('/')[2]?.split('?')[0] as string
    await working.get(`/children/${ada}/edit`)
    await working.post(`/children/${ada}`, { ...child, preferredName: 'Addie', version: '1' })
    await working.get('/children/new')
    const second = await working.post('/children', { ...child, firstName: 'Ben', lastName: 'Okafor' })
    ben = String(second.headers.location).split('/')[2]?.split('?')[0] as string
    await working.get(`/children/${ben}`)
    reading = new WebClient(t.app)
    await reading.signIn(admin)
  })
  after(() => t.close())

  test('an administrator reads the agency’s events, newest first, in words', async () => {
    const page = await reading.get('/audit')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /<title>Audit log – /)
    assert.match(page.body, /href="\/audit" aria-current="true"/, 'the navigation offers the log')
    const events = table(page.body)
    assert.match(events, /Viewed a child’s record/)
    assert.match(events, /Test social-worker<br><span[^>]*>Social worker<\/span>/)
    assert.match(events, /Preferred name changed from <strong>blank<\/strong> to <strong>Addie<\/strong>/)
    assert.match(events, new RegExp(`href="/audit/children/${ada}">Ada Hartley`))
    assert.ok(events.indexOf('Signed in') < events.indexOf('Added a child'), 'newest first')
    const filters = /<form method="get"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? ''
    assert.doesNotMatch(filters, /_csrf/, 'the form token must not travel in the address')
  })

  test('filters by person, child, action and date', async () => {
    const byWorker = table((await reading.get(`/audit?person=${worker.id}`)).body)
    assert.match(byWorker, /Test social-worker/)
    assert.doesNotMatch(byWorker, /Test agency-admin/)

    const aboutBen = await reading.get(`/audit?child=${ben}`)
    assert.match(table(aboutBen.body), /Ben Okafor/)
    assert.doesNotMatch(table(aboutBen.body), /Ada Hartley/)
    assert.match(aboutBen.body, new RegExp(`value="${ben}" selected`), 'the chosen child stays chosen')
    assert.equal(rowsOf(aboutBen.body), 2, 'added and viewed')

    const changes = await reading.get('/audit?action=child-changed')
    assert.equal(rowsOf(changes.body), 1)

    const today = todayInEngland()
    const [, , day] = today.split('-')
    const yesterday = new Date(`${today}T12:00:00Z`)
    yesterday.setUTCDate(Number(day) - 1)
    const inRange = await reading.get(`/audit?${dateQuery('from', today)}&${dateQuery('to', today)}`)
    assert.ok(rowsOf(inRange.body) > 5)
    const before = await reading.get(`/audit?${dateQuery('to', yesterday.toISOString().slice(0, 10))}`)
    assert.match(before.body, /No events match these filters/)
    const after = await reading.get(`/audit?${dateQuery('from', today)}&${dateQuery('to', nextDay(today))}`)
    assert.equal(rowsOf(after.body), rowsOf(inRange.body), 'a date to in the future is allowed')
  })

  test('dates typed wrongly get GOV.UK errors, and what was typed is kept', async () => {
    const wrong = await reading.get('/audit?from-day=31&from-month=2&from-year=2026&to-day=3&to-year=2026')
    assert.equal(wrong.statusCode, 200)
    assert.match(wrong.body, /<title>Error: Audit log – /)
    assert.match(wrong.body, /href="#from-day">Date from must be a real date/)
    assert.match(wrong.body, /href="#to-month">Date to must include a month/)
    assert.match(wrong.body, /name="from-day" type="text" value="31"/)
    assert.match(wrong.body, /govuk-input--error" id="to-month"/, 'the box to mend is marked')
    assert.equal(table(wrong.body), '', 'no events until the filters are right')

    const backwards = await reading.get(
      '/audit?from-day=2&from-month=1&from-year=2026&to-day=1&to-month=1&to-year=2026',
    )
    assert.match(backwards.body, /href="#to-day">Date to must be the same as or after date from/)
    const future = await reading.get(`/audit?${dateQuery('from', nextDay(todayInEngland()))}`)
    assert.match(future.body, /Date from must be today or in the past/)
    const short = await reading.get('/audit?from-day=1&from-month=1&from-year=26')
    assert.match(short.body, /href="#from-year">Date from must include a year with 4 numbers/)
  })

  test('pages of 50 go back and forth and keep the filters', async () => {
    const service = childrenService(t.database.db)
    const actor = {
      kind: 'staff',
      userId: worker.id,
      agencyId: worker.agencyId,
      role: 'social-worker',
    } as const
    for (let i = 0; i < 55; i++) await service.view(actor, ada, 'test')
    const first = await reading.get(`/audit?person=${worker.id}&action=child-viewed`)
    assert.equal(rowsOf(first.body), 50)
    assert.doesNotMatch(first.body, /Newer events/)
    const older = /href="(\/audit\?[^"]*before=\d+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
    assert.ok(older, 'a link to older events')
    assert.match(older, new RegExp(`person=${worker.id}&action=child-viewed&before=`))
    const second = await reading.get(older)
    assert.equal(rowsOf(second.body), 56 - 50, 'the 55 views and the one made in the page')
    assert.doesNotMatch(second.body, /Older events/)
    const newer = /href="(\/audit\?[^"]*after=\d+)"/.exec(second.body)?.[1]?.replaceAll('&amp;', '&')
    assert.ok(newer)
    assert.equal(table((await reading.get(newer)).body), table(first.body))
  })

  test('who has seen a record: on the page, and as a CSV whose cells cannot run as formulas', async () => {
    const sly = await t.addUser(worker.agencyId, 'support-worker')
    await t.database.db
      .updateTable('users')
      .set({ name: '=HYPERLINK("http://evil.example","click")' })
      .where('id', '=', sly.id)
      .execute()
    const looking = new WebClient(t.app)
    await looking.signIn(sly)
    await looking.get(`/children/${ben}`)

    const page = await reading.get(`/audit/children/${ben}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Who has seen Ben Okafor’s record/)
    assert.match(table(page.body), /Test social-worker/)
    assert.match(table(page.body), /=HYPERLINK\(&quot;http/)

    const download = await reading.get(`/audit/children/${ben}/download`)
    assert.equal(download.statusCode, 200)
    assert.match(String(download.headers['content-type']), /^text\/csv/)
    assert.match(
      String(download.headers['content-disposition']),
      new RegExp(`attachment; filename="who-has-seen-${ben}.csv"`),
    )
    assert.equal(download.headers['cache-control'], 'no-store')
    const lines = download.body.replace(/^\uFEFF/, '').split('\r\n')
    assert.equal(
      lines[0],
      '"Name","Role","Agency","Times viewed","Times changed","First seen","Last seen","Days seen"',
    )
    assert.ok(lines.some((line) => line.startsWith('"\'=HYPERLINK(""http://evil.example"",""click"")",')))
    const exported = await t.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('what', '=', 'audit-exported')
      .execute()
    assert.equal(exported.length, 1)
    assert.equal(exported[0]?.who, admin.id)
    assert.equal(exported[0]?.subject_id, ben)
    assert.match(table((await reading.get('/audit?action=audit-exported')).body), /Downloaded who has seen/)
  })

  test('another agency’s administrator sees none of it; other roles are refused', async () => {
    const elsewhere = new WebClient(t.app)
    await elsewhere.signIn(await t.addUser(await t.addAgency(), 'agency-admin'))
    const theirs = table((await elsewhere.get('/audit')).body)
    assert.match(theirs, /Signed in/, 'their own agency’s events')
    assert.doesNotMatch(theirs, /Ada Hartley|Ben Okafor|Test social-worker/)
    assert.match((await elsewhere.get(`/audit?child=${ada}`)).body, /No events match these filters/)
    assert.equal((await elsewhere.get(`/audit/children/${ada}`)).statusCode, 404)
    assert.equal((await elsewhere.get(`/audit/children/${ada}/download`)).statusCode, 404)
    assert.equal((await elsewhere.get('/audit/children/not-a-uuid')).statusCode, 404)

    const social = new WebClient(t.app)
    await social.signIn(await t.addUser(worker.agencyId, 'social-worker'))
    assert.equal((await social.get('/audit')).statusCode, 403)
    assert.equal((await social.get(`/audit/children/${ada}`)).statusCode, 403)
    assert.equal((await social.get(`/audit/children/${ada}/download`)).statusCode, 403)
    const record = await social.get(`/children/${ada}`)
    assert.doesNotMatch(record.body, /Who has seen this record/, 'offered only to those who may')
    assert.doesNotMatch(record.body, /href="\/audit"/, 'nor in the navigation')
  })
})
