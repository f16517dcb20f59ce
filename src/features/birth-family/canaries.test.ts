import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { type TestApp, testApp } from '../../../test/support/app.ts'
import { gpsJpeg } from '../../../test/support/photos.ts'
import { WebClient } from '../../../test/support/web-client.ts'
import type { Answers } from '../../plan/answers.ts'
import { type ListDefinition, PLAN, type Question } from '../../plan/definition.ts'
import { formatDate, todayInEngland } from '../../platform/dates.ts'
import type { StaffActor } from '../../platform/request-context.ts'
import { childrenService } from '../children/service.ts'
import { familiesService } from '../families/service.ts'
import { lifecycleService } from '../plans/lifecycle.ts'
import { plansService } from '../plans/service.ts'

// Issue 5, acceptance 4: the birth-family page, and everything reachable from it, contains none of
// the adopters' identifying details. Every field about the adopters and their family holds a canary
// (names, dates of birth, e-mail addresses, their accounts, where they live, the agency that approved
// them and its worker, the match's dates, the adopters' photo with its description and file name),
// and so does everything else in the plan except the one relative's entry of section 4: the child's
// names, sections 1 to 3 (answers, needs, staying in touch, money), another relative's entry, the
// notes of its moves. Then a relative's link and a letter's code are opened, every page, file and form
// they lead to is followed, the answers are given, and every error page is brought up; no canary may
// appear in any response, body or headers.

const CANARY = 'canary'
const canary = (what: string) => `Canary ${what}`

/** Canary dates, and the ways a page could write them. */
const CANARY_DATES = ['1961-11-23', '1962-12-24', '2025-08-19', '2025-07-14', '2025-07-28']
function dateForms(iso: string): string[] {
  const [year, month, day] = iso.split('-') as [string, string, string]
  return [iso, formatDate(iso), `${day}/${month}/${year}`, `${Number(day)}/${Number(month)}/${year}`]
}

const SHOWN = {
  relative: 'Birth mother',
  relationship: 'Mother',
  support: 'Counselling from Birthlink, and help writing a letter each year.',
  providedBy: 'Birthlink',
}

/** An answer to each question of a list or section: a canary wherever words can go. */
function canaryAnswers(questions: Question[], prefix: string): Answers {
  const answers: Answers = {}
  for (const question of questions) {
    const key = question.key
    switch (question.type) {
      case 'choice':
        answers[key] = question.options[0]?.value ?? null
        break
      case 'date':
        answers[key] = '2025-09-01'
        break
      case 'money':
        answers[key] = 123_456
        break
      case 'email':
        answers[key] = `canary.${prefix}.${key}@canary-mail.example`.toLowerCase()
        break
      case 'phone':
        answers[key] = '01632 960 001'
        break
      case 'networkMember':
        answers[key] = null
        break
      default:
        answers[key] = canary(`${prefix} ${key}`)
    }
  }
  return answers
}

describe('acceptance 4: nothing of the adopters reaches a birth relative', () => {
  let t: TestApp
  let worker: WebClient
  let planId: string
  let motherId: string
  let canaries: string[]
  let adopter: WebClient
  const checked: string[] = []

  /** Fails on any canary in a response's body or headers. */
  function assertClean(response: LightMyRequestResponse, label: string) {
    const text = `${JSON.stringify(response.headers)}\n${response.body}`.toLowerCase()
    const found = canaries.filter((value) => text.includes(value.toLowerCase()))
    assert.deepEqual(found, [], `${label} (${response.statusCode}) shows ${found.join(', ')}`)
    checked.push(`${response.statusCode} ${label}`)
  }

  /**
   * Follows everything a page leads to, as the relative's browser: links, images, scripts, styles
   * and the files they load in turn, redirects, and every form (sent as it stands, unfilled).
   */
  function crawler(client: WebClient) {
    const visited = new Set<string>()
    const sent = new Set<string>()

    const sameOrigin = (url: string) => {
      const decoded = url.replaceAll('&amp;', '&')
      if (!decoded.startsWith('/') || decoded.startsWith('//')) return null
      return decoded.split('#')[0] || null
    }

    async function follow(response: LightMyRequestResponse, label: string): Promise<void> {
      assertClean(response, label)
      const location = response.headers.location
      if (typeof location === 'string') {
        const next = sameOrigin(location)
        if (next) await visit(next)
      }
      const type = String(response.headers['content-type'] ?? '')
      const body = response.body
      const found: string[] = []
      if (type.startsWith('text/html')) {
        for (const match of body.matchAll(/(?:href|src)="([^"]+)"/g)) found.push(match[1] as string)
        for (const form of body.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
          const action = sameOrigin(form[1] as string)
          const method = /method="get"/i.test(form[0]) ? 'get' : 'post'
          if (!action) continue
          if (method === 'get') {
            found.push(action)
            continue
          }
          const fields: Record<string, string> = {}
          for (const input of (form[2] as string).matchAll(
            /<input type="hidden" name="([^"]+)" value="([^"]*)"/g,
          ))
            if (input[1] !== '_csrf') fields[input[1] as string] = input[2] as string
          // Each form once: the same address with other hidden fields is another form.
          const key = `${action} ${JSON.stringify(fields)}`
          if (sent.has(key)) continue
          sent.add(key)
          await follow(
            await client.post(action, fields),
            `POST ${action} ${JSON.stringify(fields)} (as it stands)`,
          )
        }
      } else if (type.includes('javascript')) {
        for (const match of body.matchAll(/["'](\/assets\/[^"']+)["']/g)) found.push(match[1] as string)
      } else if (type.startsWith('text/css')) {
        for (const match of body.matchAll(/url\(["']?(\/[^"')]+)["']?\)/g)) found.push(match[1] as string)
      }
      for (const url of found) {
        const next = sameOrigin(url)
        if (next) await visit(next)
      }
    }

    async function visit(url: string): Promise<void> {
      if (visited.has(url)) return
      visited.add(url)
      await follow(await client.get(url), `GET ${url}`)
    }

    return { follow, visit, visited }
  }

  before(async () => {
    t = await testApp()
    const db = t.database.db
    const placing = await t.addAgency('Placing agency')
    const approving = await t.addAgency(canary('approving agency'))
    const workerUser = await t.addUser(placing, 'social-worker')
    worker = new WebClient(t.app)
    await worker.signIn(workerUser)
    const actor: StaffActor = {
      kind: 'staff',
      userId: workerUser.id,
      agencyId: placing,
      role: 'social-worker',
    }

    const child = await childrenService(db).add(
      actor,
      {
        firstName: 'Canarychildfirst',
        lastName: 'Canarychildlast',
        preferredName: 'Canarychildpreferred',
        dateOfBirth: '2021-06-04',
        sex: 'female',
        ethnicity: 'WBRI',
        siblingOf: null,
      },
      'canary',
    )
    if (child.outcome !== 'added') throw new Error('child not added')
    const childId = child.child.id

    const families = familiesService(db)
    const familyId = await families.add(
      actor,
      {
        approvingAgencyId: approving,
        adopters: [
          {
            firstName: 'Canaryfirstone',
            lastName: 'Canarylastone',
            dateOfBirth: '1961-11-23',
            email: 'canary.one@canary-home.example',
          },
          {
            firstName: 'Canaryfirsttwo',
            lastName: 'Canarylasttwo',
            dateOfBirth: '1962-12-24',
            email: 'canary.two@canary-home.example',
          },
        ],
      },
      'canary',
    )
    await db
      .updateTable('families')
      .set({ lives_in_authority: canary('local authority where the family lives') })
      .where('id', '=', familyId)
      .execute()
    // Their accounts, and the approving agency's worker allocated to them.
    const adopterUser = await t.addAdopterAccount(familyId, placing)
    await db
      .updateTable('users')
      .set({ name: canary('adopter account name'), email: 'canary.account@canary-home.example' })
      .where('id', '=', adopterUser.id)
      .execute()
    adopter = new WebClient(t.app)
    await adopter.signIn({ ...adopterUser, email: 'canary.account@canary-home.example' })
    const vaaManager = await t.addUser(approving, 'team-manager')
    const vaaWorker = await t.addUser(approving, 'social-worker')
    await db
      .updateTable('users')
      .set({ name: canary('approving agency worker') })
      .where('id', 'in', [vaaWorker.id, vaaManager.id])
      .execute()
    await families.allocateWorker(
      { kind: 'staff', userId: vaaManager.id, agencyId: approving, role: 'team-manager' },
      familyId,
      vaaWorker.id,
      'canary',
    )
    await families.match(actor, familyId, childId, 'canary')
    await db
      .updateTable('matches')
      .set({ panel_on: '2025-07-14', decision_on: '2025-07-28', placed_on: '2025-08-19' })
      .where('child_id', '=', childId)
      .execute()

    const plans = plansService(db)
    const started = await plans.create(actor, childId, 'canary')
    if (started.outcome !== 'created') throw new Error('plan not created')
    planId = started.planId
    const version = async (key: string) =>
      (
        await db
          .selectFrom('plan_sections')
          .select('version')
          .where('plan_id', '=', planId)
          .where('key', '=', key)
          .executeTakeFirstOrThrow()
      ).version
    const addItem = async (key: string, list: ListDefinition, answers: Answers) => {
      const saved = await plans.saveItem(actor, planId, key, list, null, await version(key), answers, {
        correlationId: 'canary',
      })
      if (saved.outcome !== 'saved') throw new Error(`${key}.${list.key} not saved`)
      return saved.itemId as string
    }
    // Every question and list of sections 1 to 3 answered with canaries.
    for (const section of PLAN.filter((candidate) =>
      ['network', 'child', 'adopters'].includes(candidate.key),
    )) {
      if (section.questions.length > 0) {
        const saved = await plans.saveAnswers(
          actor,
          planId,
          section.key,
          await version(section.key),
          canaryAnswers(section.questions, section.key),
          'canary',
        )
        if (saved.outcome !== 'saved') throw new Error(`${section.key} not saved`)
      }
      for (const list of section.lists)
        await addItem(section.key, list, canaryAnswers(list.questions, `${section.key} ${list.key}`))
    }
    const relatives = PLAN.find((section) => section.key === 'birth-family')?.lists[0] as ListDefinition
    motherId = await addItem('birth-family', relatives, { ...SHOWN })
    await addItem('birth-family', relatives, canaryAnswers(relatives.questions, 'another relative'))

    // Photos of the adopters and of the child, described and named with canaries.
    const adopters = await db.selectFrom('adopters').select('id').where('family_id', '=', familyId).execute()
    for (const [index, subject] of [...adopters.map((adopter) => adopter.id), 'child'].entries()) {
      await worker.get(`/plans/${planId}/photos/${subject}`)
      const uploaded = await worker.postFiles(
        `/plans/${planId}/photos/${subject}`,
        { description: canary(`photo description ${index}`) },
        {
          photo: {
            filename: `Canary-photo-file-${index}.jpg`,
            contentType: 'image/jpeg',
            bytes: await gpsJpeg(),
          },
        },
      )
      assert.equal(uploaded.statusCode, 303, 'photo saved')
    }
    // The plan's moves carry notes, and its versions the whole plan with the adopters' names.
    const moved = await lifecycleService(db, plans).transition(
      actor,
      planId,
      { to: 'with-adopters', date: null, note: canary('note of a move') },
      'canary',
    )
    assert.equal(moved.outcome, 'moved')

    canaries = [
      CANARY,
      'Canaryfirstone',
      'Canarylastone',
      'Canaryfirsttwo',
      'Canarylasttwo',
      'canary.one@canary-home.example',
      'canary-home',
      canary('approving agency'),
      canary('local authority where the family lives'),
      canary('adopter account name'),
      canary('approving agency worker'),
      'Canarychildfirst',
      'Canarychildlast',
      'Canarychildpreferred',
      canary('photo description 0'),
      'Canary-photo-file-0',
      canary('note of a move'),
      canary('adopters strengths'),
      canary('child whoTheyAre'),
      canary('network members name'),
      canary('another relative support'),
      'photos/',
      ...CANARY_DATES.flatMap(dateForms),
    ]
    // The fixture is what it claims: the worker's own plan page shows the canaries.
    const front = await worker.get(`/plans/${planId}`)
    for (const expected of ['Canaryfirstone', '23 November 1961', canary('photo description 0')])
      assert.ok(front.body.includes(expected), `the plan's front page shows ${expected}`)
  })
  after(() => t.close())

  async function create(kind: 'link' | 'code'): Promise<string> {
    await worker.get(`/plans/${planId}/birth-family/${motherId}/share`)
    const created = await worker.post(`/plans/${planId}/birth-family/${motherId}/share`, { kind })
    const shown = /id="secret">([^<]+)</.exec(created.body)?.[1]
    if (!shown) throw new Error('nothing shown')
    return kind === 'link' ? new URL(shown).pathname : shown
  }

  const today = () => {
    const [year, month, day] = todayInEngland().split('-') as [string, string, string]
    return { 'date-day': day, 'date-month': month, 'date-year': year }
  }

  test('through a link: the page, all it leads to, the confirmation, and the link used again', async () => {
    const path = await create('link')
    const relative = new WebClient(t.app)
    const crawl = crawler(relative)
    const opened = await relative.get(path)
    assert.equal(opened.statusCode, 200)
    for (const shown of Object.values(SHOWN))
      assert.ok(opened.body.includes(shown), `the page shows ${shown}`)
    await crawl.follow(opened, `GET ${path}`)
    assert.ok(
      crawl.visited.has('/assets/app.css') && crawl.visited.has('/accessibility'),
      'the crawl went on',
    )

    const mistaken = await relative.post(path, { answer: 'confirm' })
    assert.equal(mistaken.statusCode, 422)
    await crawl.follow(mistaken, `POST ${path} (with mistakes)`)
    const confirmed = await relative.post(path, { answer: 'confirm', name: 'Jo Bloggs', ...today() })
    assert.equal(confirmed.statusCode, 303)
    await crawl.follow(confirmed, `POST ${path} (confirmed)`)
    const again = await relative.get(path)
    assert.equal(again.statusCode, 410)
    await crawl.follow(again, `GET ${path} (used)`)
    await crawl.follow(await relative.post(path, { answer: 'decline', reason: 'x' }), `POST ${path} (used)`)
  })

  test('through a letter’s code: the code page, the entry, the answer, the code used again and a wrong one', async () => {
    const code = await create('code')
    const relative = new WebClient(t.app)
    const crawl = crawler(relative)
    await crawl.visit('/birth-family')
    const opened = await relative.post('/birth-family', { code })
    assert.equal(opened.statusCode, 200)
    assert.ok(opened.body.includes(SHOWN.support))
    await crawl.follow(opened, 'POST /birth-family (code)')
    const declined = await relative.post('/birth-family/answer', {
      code: code.replace('-', ''),
      answer: 'decline',
      reason: 'I would like to meet the worker first',
    })
    assert.equal(declined.statusCode, 303)
    await crawl.follow(declined, 'POST /birth-family/answer (declined)')
    await crawl.follow(await relative.post('/birth-family', { code }), 'POST /birth-family (code used)')
    await crawl.follow(
      await relative.post('/birth-family', { code: 'ZZZZ-9999' }),
      'POST /birth-family (wrong)',
    )
  })

  test('every error page: withdrawn, expired, unknown, a forged form, too many attempts', async () => {
    const relative = new WebClient(t.app)
    const crawl = crawler(relative)
    const withdrawn = await create('link')
    const withdrawnId = (
      await t.database.db
        .selectFrom('birth_family_links')
        .select('id')
        .orderBy('created_at', 'desc')
        .executeTakeFirstOrThrow()
    ).id
    await worker.get(`/plans/${planId}/birth-family`)
    await worker.post(`/plans/${planId}/birth-family/links/${withdrawnId}/revoke`, {})
    await crawl.follow(await relative.get(withdrawn), 'GET a withdrawn link')
    const expired = await create('link')
    await t.database.db
      .updateTable('birth_family_links')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('kind', '=', 'link')
      .where('answered_at', 'is', null)
      .execute()
    await crawl.follow(await relative.get(expired), 'GET an expired link')
    await crawl.follow(await relative.get(`/birth-family/${'Q'.repeat(43)}`), 'GET an unknown link')
    await crawl.follow(await relative.get('/birth-family/a/b'), 'GET an address that is nothing')
    const live = await create('link')
    await relative.get(live)
    const forged = await relative.post(live, { answer: 'decline', reason: 'x' }, { csrf: null })
    assert.equal(forged.statusCode, 403)
    await crawl.follow(forged, 'POST a link without its CSRF token')
    let tooMany = await relative.post('/birth-family', { code: 'ZZZZ-9999' })
    for (let i = 0; i < 15 && tooMany.statusCode !== 429; i++)
      tooMany = await relative.post('/birth-family', { code: 'ZZZZ-9999' })
    assert.equal(tooMany.statusCode, 429)
    await crawl.follow(tooMany, 'POST /birth-family (too many attempts)')
  })

  test('opened where an adopter is signed in, the page still shows nothing of them', async () => {
    // Not a likely place, but the header of every other page names whoever is signed in.
    const path = await create('link')
    const opened = await adopter.get(path)
    assert.equal(opened.statusCode, 200)
    assertClean(opened, `GET ${path} (an adopter signed in)`)
    const mistaken = await adopter.post(path, {})
    assert.equal(mistaken.statusCode, 422)
    assertClean(mistaken, `POST ${path} (an adopter signed in)`)
    const own = await adopter.get(`/plans/${planId}`)
    assert.ok(own.body.includes(canary('adopter account name')), 'their own pages name them')
  })

  test('the check covered the pages it should have', () => {
    const seen = checked.join('\n')
    for (const page of [
      'GET /accessibility',
      'GET /sign-in',
      'GET /assets/app.js',
      'GET /birth-family/answered',
    ])
      assert.ok(seen.includes(page), `${page} was checked`)
    for (const status of ['200', '303', '403', '404', '410', '422', '429'])
      assert.match(seen, new RegExp(`^${status} `, 'm'), `a ${status} answer was checked`)
  })
})
