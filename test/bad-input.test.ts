import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { accounts } from '../src/features/accounts/service.ts'
import { verifyAuditChain } from '../src/platform/audit.ts'
import { csvCell } from '../src/platform/csv.ts'
import { type Action, type Actor, can } from '../src/platform/policy.ts'
import { type TestApp, type TestUser, testApp } from './support/app.ts'
import {
  encodeForm,
  encodeLoosely,
  hostileJson,
  hostileParam,
  hostileString,
  SCRIPT_MARKERS,
  wrongType,
} from './support/hostile.ts'
import { type SharedPlan, sharedPlan } from './support/shared-plan.ts'
import { WebClient } from './support/web-client.ts'

// Issue 7, bad input: random and hostile values (overlong text, control characters, wrong types,
// impossible dates, markup and script, spreadsheet formulas, path tricks in file names) posted to
// every form and every API endpoint that takes a body or a query. The routes come from the app's own
// catalogue, and each form's fields from the page that shows it, so a new route is covered without
// editing this file. Properties: never a 5xx; a refusal says why (a GOV.UK error summary or an error
// page; problem+json on the API); no script ever comes back unescaped; and afterwards the database
// holds nothing that is not valid text, and the audit chain still verifies.
// Few runs per route keep the file to seconds: the value families are few and drawn often.

const FORM_RUNS = 6
const API_RUNS = 12
const PARAM_RUNS = 4

type Client = { name: string; web: WebClient; actor: Actor }
type Form = { action: string; fields: Map<string, string[]>; multipart: boolean; files: string[] }
type Route = { method: string; url: string; permission: Action | undefined }

const failures: string[] = []
// Random each run, as property tests are; a failure names the seed, and BAD_INPUT_SEED replays it.
const seed = Number(process.env.BAD_INPUT_SEED) || Math.floor(Math.random() * 2 ** 31)

/** The failures since `from`, with the seed to replay them. */
function failuresSince(from: number): string[] {
  const found = failures.slice(from)
  return found.length > 0 ? [`BAD_INPUT_SEED=${seed}`, ...found] : []
}

function pattern(url: string): RegExp {
  const source = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/')
  return new RegExp(`^${source}$`)
}

const fromHtml = (text: string) =>
  text
    .replaceAll('&amp;', '&')
    .replaceAll('&#x2F;', '/')
    .replaceAll('&#x3D;', '=')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")

const attribute = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? undefined

/** The POST forms on a page: where each goes, its fields and the values the page offers for them. */
function formsOn(page: string, pageUrl: string): Form[] {
  const forms: Form[] = []
  for (const match of page.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, open = '', inner = ''] = match
    if ((attribute(open, 'method') ?? 'get').toLowerCase() !== 'post') continue
    const action = fromHtml(attribute(open, 'action') ?? pageUrl).split('#')[0] as string
    const fields = new Map<string, string[]>()
    const files: string[] = []
    for (const tag of inner.matchAll(/<(input|select|textarea)\b[^>]*>/g)) {
      const name = attribute(tag[0], 'name')
      if (!name || name === '_csrf') continue
      if (attribute(tag[0], 'type') === 'file') {
        files.push(name)
        continue
      }
      const values = fields.get(name) ?? []
      const value = attribute(tag[0], 'value')
      if (value !== undefined) values.push(fromHtml(value))
      if (tag[1] === 'select') {
        const rest = inner.slice((tag.index ?? 0) + tag[0].length).split('</select>')[0] ?? ''
        for (const option of rest.matchAll(/<option\b[^>]*value="([^"]*)"/g))
          values.push(fromHtml(option[1] ?? ''))
      }
      fields.set(name, values)
    }
    forms.push({ action, fields, files, multipart: /multipart\/form-data/.test(open) })
  }
  return forms
}

function linksOn(page: string): string[] {
  return [...page.matchAll(/href="(\/[^"]*)"/g)].map((m) => fromHtml(m[1] ?? '').split('#')[0] as string)
}

// Downloads and files are not pages to read forms from; signing out would end the crawl.
const NOT_CRAWLED = /^\/(assets|sign-out|signed-out|api)|\.csv|\/download|\/documents\/|\/image|\/scan|\?/

/**
 * The pages a person can reach from where they start, and the forms on them: bounded, and no more
 * than two pages of any one route (one guidance page is much like the next).
 */
async function crawl(client: Client, starts: string[], pages: RegExp[], limit = 70): Promise<Form[]> {
  const seen = new Set<string>()
  const perRoute = new Map<RegExp, number>()
  const queue = [...starts]
  const forms: Form[] = []
  while (queue.length > 0 && seen.size < limit) {
    const url = queue.shift() as string
    if (seen.has(url)) continue
    const route = pages.find((page) => page.test(url))
    if (route && (perRoute.get(route) ?? 0) >= 2) continue
    if (route) perRoute.set(route, (perRoute.get(route) ?? 0) + 1)
    seen.add(url)
    const response = await client.web.get(url)
    if (response.statusCode >= 500) failures.push(`GET ${url} as ${client.name}: ${response.statusCode}`)
    if (response.statusCode !== 200 || !/text\/html/.test(String(response.headers['content-type']))) continue
    forms.push(...formsOn(response.body, url))
    for (const link of linksOn(response.body))
      if (!seen.has(link) && !NOT_CRAWLED.test(link)) queue.push(link)
  }
  return forms
}

/** What every answer to bad input must be, page or API. */
function judge(what: string, response: LightMyRequestResponse, api: boolean): void {
  const type = String(response.headers['content-type'] ?? '')
  const problems: string[] = []
  if (response.statusCode >= 500) problems.push(`status ${response.statusCode}`)
  if (/text\/html/.test(type)) {
    for (const marker of SCRIPT_MARKERS)
      if (response.body.includes(marker)) problems.push(`unescaped ${marker}`)
    if (response.statusCode === 422 && !response.body.includes('govuk-error-summary'))
      problems.push('422 without an error summary')
    if (response.statusCode >= 400 && !/<h1/.test(response.body))
      problems.push('an error page without a heading')
  }
  if (api && response.statusCode >= 400 && response.statusCode !== 412) {
    if (!/application\/problem\+json/.test(type)) problems.push(`a refusal as ${type}, not problem+json`)
    else if (!(response.json() as { title?: string }).title) problems.push('problem+json without a title')
  }
  if (problems.length > 0)
    failures.push(`${what.slice(0, 160)}: ${problems.join(', ')} — ${response.body.slice(0, 200)}`)
}

/** A multipart body built by hand, so that file names go as sent (quotes, NUL, path tricks). */
function multipart(fields: [string, string][], files: [string, string, string, Buffer][]) {
  const boundary = `----bad${randomUUID()}`
  const parts: Buffer[] = []
  for (const [name, value] of fields)
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  for (const [name, filename, type, bytes] of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` }
}

const FILE_NAMES = fc.constantFrom(
  '../../etc/passwd',
  '..\\..\\x.jpg',
  'a\u0000.jpg',
  '/etc/shadow',
  'photo.jpg.exe',
  '<script>alert(1)</script>.jpg',
  'x'.repeat(5_000),
  '',
  'CON.jpg',
  '%2e%2e%2fx.pdf',
)
const FILE_BYTES = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from('%PDF-1.4\n<script>alert(1)</script>'),
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
    Buffer.from('GIF89a<svg onload=alert(1)>'),
    Buffer.alloc(0),
  ),
)
const FILE_TYPES = fc.constantFrom(
  'image/jpeg',
  'application/pdf',
  'text/html',
  'application/x-msdownload',
  '',
)

describe('bad input is turned away clearly, and nothing invalid is kept', () => {
  let t: TestApp
  let plan: SharedPlan
  let admin: TestUser
  let clients: Client[]
  const tokens: Record<string, string> = {}
  const formsByRoute = new Map<string, { client: Client; form: Form }>()
  let postRoutes: Route[] = []

  const staffActor = (user: TestUser): Actor => ({
    kind: 'staff',
    userId: user.id,
    agencyId: user.agencyId,
    role: user.role as never,
  })

  /** Real ids for a route's parameters, so that the request reaches the code behind them. */
  const params = (url: string) =>
    url
      .replace(/^\/(api\/v1\/)?children\/:id/, `/$1children/${plan.childId}`)
      .replace(/^\/audit\/children\/:id/, `/audit/children/${plan.childId}`)
      .replace(/^\/(api\/v1\/)?families\/:id/, `/$1families/${plan.familyId}`)
      .replace(/^\/(api\/v1\/)?plans\/:id/, `/$1plans/${plan.planId}`)
      .replace(/^\/staff\/:id/, `/staff/${plan.worker.id}`)
      .replace(':key', 'child')
      .replace(':number', '1')
      .replace(':subject', 'child')
      .replace(':list', 'needs')
      .replace(':file', 'plan.pdf')
      .replace(/:[A-Za-z]+/g, () => randomUUID())

  /** Who may post to a route, when the crawl did not find its form. */
  const clientFor = (route: Route): Client =>
    clients.find((client) => route.permission && can(client.actor, route.permission)) ??
    (clients[0] as Client)

  before(async () => {
    t = await testApp()
    plan = await sharedPlan(t)
    admin = await t.addUser(plan.agencyId, 'agency-admin')
    const signedIn = async (name: string, user: TestUser, actor: Actor) => {
      const web = new WebClient(t.app)
      await web.signIn(user)
      return { name, web, actor }
    }
    clients = [
      await signedIn('social worker', plan.worker, staffActor(plan.worker)),
      await signedIn('team manager', plan.manager, staffActor(plan.manager)),
      await signedIn('IRO', plan.iro, staffActor(plan.iro)),
      await signedIn('agency admin', admin, staffActor(admin)),
      await signedIn('adopter', plan.adopter, {
        kind: 'adopter',
        userId: plan.adopter.id,
        agencyId: plan.agencyId,
        familyId: plan.familyId,
      }),
    ]
    const anonymous = new WebClient(t.app)
    await anonymous.get('/sign-in')
    clients.push({ name: 'anonymous', web: anonymous, actor: { kind: 'anonymous' } })
    const people = accounts(t.database.db)
    for (const [name, user] of [
      ['social worker', plan.worker],
      ['team manager', plan.manager],
      ['IRO', plan.iro],
    ] as const)
      tokens[name] = await people.addToken(user.id, 1)

    // A review to give the review pages something to show.
    const review = await t.app.inject({
      method: 'POST',
      url: `/api/v1/plans/${plan.planId}/reviews`,
      payload: { kind: 'scheduled' },
      headers: { authorization: `Bearer ${tokens['social worker']}` },
    })
    assert.ok(review.statusCode < 500, review.body)

    const starts = [
      '/',
      '/home',
      '/children',
      '/children/new',
      `/children/${plan.childId}`,
      `/children/${plan.childId}/allocations/new`,
      '/families',
      '/families/new',
      `/families/${plan.familyId}`,
      `/plans/${plan.planId}`,
      '/staff',
      '/staff/invite',
      '/guidance',
      '/account/sessions',
      '/your-plan',
      '/family',
      '/sign-in',
      '/birth-family',
    ]
    const catalogue = t.app.routeCatalogue.filter((route) => !route.url.startsWith('/assets'))
    postRoutes = catalogue.filter(
      (route) => (route.method === 'POST' || route.method === 'PUT') && !route.url.startsWith('/api/'),
    )
    // Most specific first: a static segment wins over a parameter, as in Fastify's router.
    const bySpecificity = [...postRoutes].sort(
      (a, b) => (a.url.match(/:/g)?.length ?? 0) - (b.url.match(/:/g)?.length ?? 0),
    )
    const pages = catalogue.filter((route) => route.method === 'GET').map((route) => pattern(route.url))
    const keep = (client: Client, form: Form) => {
      const route = bySpecificity.find((r) => pattern(r.url).test(form.action))
      if (!route) return
      const key = `${route.method} ${route.url}`
      const known = formsByRoute.get(key)
      // The person the policy lets use the route, where the crawl found it for more than one.
      const allowed = route.permission !== undefined && can(client.actor, route.permission)
      if (!known || (allowed && !can(known.client.actor, route.permission ?? 'public')))
        formsByRoute.set(key, { client, form })
    }
    for (const client of clients) for (const form of await crawl(client, starts, pages)) keep(client, form)
    // A form no link leads to (an item of a list, reached by posting the section) is read from its
    // own page, at the address the route's parameters make with real ids.
    for (const route of postRoutes) {
      if (formsByRoute.has(`${route.method} ${route.url}`)) continue
      const client = clientFor(route)
      const page = await client.web.get(params(route.url))
      if (page.statusCode === 200)
        for (const form of formsOn(page.body, params(route.url))) keep(client, form)
    }
  })

  after(async () => {
    await t?.close()
  })

  test('every form, with hostile values in its fields', async () => {
    const from = 0 // and what the crawl met on its way
    // Ending sessions last, so that the other forms are still posted signed in.
    const ordered = [...postRoutes].sort(
      (a, b) => Number(/sign-out|sessions\/end/.test(a.url)) - Number(/sign-out|sessions\/end/.test(b.url)),
    )
    let fromPages = 0
    for (const route of ordered) {
      const key = `${route.method} ${route.url}`
      const found = formsByRoute.get(key)
      if (found) fromPages++
      const client = found?.client ?? clientFor(route)
      const form: Form = found?.form ?? {
        action: params(route.url),
        fields: new Map([
          ['text', []],
          ['date-day', []],
          ['date-month', []],
          ['date-year', []],
        ]),
        files: [],
        multipart: false,
      }
      const names = [...form.fields.keys()]
      // Each field: one of the values the page offers, or trouble; and at times a field sent twice
      // (an array to the parser) or a prototype key added.
      const fieldValue = (name: string) => {
        const offered = form.fields.get(name) ?? []
        return offered.length > 0 ? fc.oneof(hostileString, fc.constantFrom(...offered)) : hostileString
      }
      const body = fc.record({
        values: fc.tuple(...names.map(fieldValue)),
        repeat: fc.option(fc.constantFrom(...names, '__proto__', 'constructor'), { nil: undefined }),
        extra: fc.option(
          fc.tuple(fc.constantFrom('__proto__', 'constructor[prototype]', 'a[b]'), hostileString),
        ),
        file: fc.tuple(FILE_NAMES, FILE_TYPES, FILE_BYTES),
      })
      await fc.assert(
        fc.asyncProperty(body, async ({ values, repeat, extra, file }) => {
          const pairs: [string, string][] = names.map((name, i) => [name, values[i] as string])
          if (repeat) pairs.push([repeat, 'again'])
          if (extra) pairs.push(extra)
          const cookie = [...client.web.cookies].map(([n, v]) => `${n}=${v}`).join('; ')
          let response: LightMyRequestResponse
          if (form.multipart) {
            const { payload, type } = multipart(
              [
                ['_csrf', client.web.csrf],
                ...pairs.map(([n, v]) => [n, v.slice(0, 10_000)] as [string, string]),
              ],
              form.files.map((name) => [name, ...file] as [string, string, string, Buffer]),
            )
            response = await t.app.inject({
              method: route.method as 'POST',
              url: form.action,
              payload,
              headers: { cookie, 'content-type': type },
            })
          } else {
            response = await t.app.inject({
              method: route.method as 'POST',
              url: form.action,
              payload: encodeForm([['_csrf', client.web.csrf], ...pairs]),
              headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
            })
          }
          judge(`${key} as ${client.name}`, response, false)
        }),
        { numRuns: FORM_RUNS, seed },
      )
    }
    assert.ok(postRoutes.length > 40, 'the catalogue sees the forms')
    const unseen = postRoutes.filter((r) => !formsByRoute.has(`${r.method} ${r.url}`)).map((r) => r.url)
    // The rest need records this file does not make (a list item, a comment, a birth relative's
    // link): they are still posted, at their addresses, with generic fields.
    assert.ok(fromPages >= postRoutes.length / 2, `forms not found on pages: ${unseen.join(', ')}`)
    assert.deepEqual(failuresSince(from), [])
  })

  test('every page and endpoint, with hostile path parameters and query strings', async () => {
    const from = failures.length
    const worker = clients[0] as Client
    const routes = t.app.routeCatalogue.filter(
      (route) => route.url.includes(':') && !route.url.startsWith('/assets') && route.method !== 'HEAD',
    )
    const queryNames = [
      'page',
      'q',
      'search',
      'from',
      'to',
      'date',
      'a',
      'b',
      'version',
      'sort',
      'status',
      'type',
    ]
    for (const route of routes) {
      const api = route.url.startsWith('/api/')
      const client = clientFor(route)
      await fc.assert(
        fc.asyncProperty(
          hostileParam,
          fc.constantFrom(...(route.url.match(/:[A-Za-z]+/g) ?? [])),
          fc.array(fc.tuple(fc.constantFrom(...queryNames), hostileString), { maxLength: 3 }),
          async (value, which, query) => {
            const url = params(route.url.replace(which, value))
            const search = query.map(([n, v]) => `${n}=${encodeLoosely(v.slice(0, 2_000))}`).join('&')
            const response = await t.app.inject({
              method: route.method as 'GET',
              url: `${url}${search ? `?${search}` : ''}`,
              ...(route.method === 'GET' ? {} : { payload: encodeForm([['_csrf', client.web.csrf]]) }),
              headers: api
                ? { authorization: `Bearer ${tokens['social worker']}` }
                : {
                    cookie: [...(route.method === 'GET' ? worker : client).web.cookies]
                      .map(([n, v]) => `${n}=${v}`)
                      .join('; '),
                    ...(route.method === 'GET'
                      ? {}
                      : { 'content-type': 'application/x-www-form-urlencoded' }),
                  },
            })
            judge(`${route.method} ${route.url} with ${which}=${value.slice(0, 40)}`, response, api)
          },
        ),
        { numRuns: PARAM_RUNS, seed },
      )
    }
    assert.deepEqual(failuresSince(from), [])
  })

  test('every API endpoint with a body or a query, with hostile JSON', async () => {
    const from = failures.length
    const spec = t.app.swagger() as {
      paths: Record<
        string,
        Record<string, { requestBody?: unknown; parameters?: { in: string; name: string }[] }>
      >
    }
    let covered = 0
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const queries = (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)
        if (!operation.requestBody && queries.length === 0) continue
        covered++
        const url = params(`/api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`)
        const schema = (operation.requestBody as { content?: Record<string, { schema?: JsonSchema }> })
          ?.content?.['application/json']?.schema
        const who =
          /\/after$/.test(path) && method === 'put'
            ? 'IRO'
            : /sign-off/.test(path)
              ? 'team manager'
              : 'social worker'
        await fc.assert(
          fc.asyncProperty(
            schema
              ? fc.oneof({ weight: 4, arbitrary: bodyFor(schema, 0) }, { weight: 1, arbitrary: hostileJson })
              : fc.constant(undefined),
            fc.array(fc.tuple(fc.constantFrom(...(queries.length ? queries : ['x'])), hostileString), {
              maxLength: 3,
            }),
            async (body, query) => {
              const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` }
              if (method === 'put') {
                const current = await t.app.inject({ method: 'GET', url, headers })
                if (current.headers.etag) headers['if-match'] = String(current.headers.etag)
              }
              const search = query.map(([n, v]) => `${n}=${encodeLoosely(v.slice(0, 2_000))}`).join('&')
              const response = await t.app.inject({
                method: method.toUpperCase() as 'POST',
                url: `${url}${search ? `?${search}` : ''}`,
                ...(body === undefined
                  ? {}
                  : {
                      payload: JSON.stringify(body),
                      headers: { ...headers, 'content-type': 'application/json' },
                    }),
                ...(body === undefined ? { headers } : {}),
              })
              judge(`${method.toUpperCase()} ${path} as ${who}`, response, true)
            },
          ),
          { numRuns: API_RUNS, seed },
        )
      }
    }
    assert.ok(covered >= 10, `only ${covered} API endpoints take a body or a query`)
    assert.deepEqual(failuresSince(from), [])
  })

  test('afterwards: no text holds a control character, and the audit chain verifies', async () => {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      select table_name, column_name, data_type from information_schema.columns
      where table_schema = current_schema() and data_type in ('text', 'character varying', 'jsonb')`.execute(
      t.database.db,
    )
    const bad: string[] = []
    for (const { table_name, column_name, data_type } of columns.rows) {
      const text = data_type === 'jsonb' ? sql`${sql.ref(column_name)}::text` : sql.ref(column_name)
      // C0 controls other than tab and line ends are never typed (src/platform/input.ts); NUL and
      // unpaired surrogates PostgreSQL itself refuses, which the no-5xx checks above cover.
      const found = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table_name)}
        where ${text} ~ ${'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f]'}`.execute(t.database.db)
      if ((found.rows[0]?.n ?? 0) > 0)
        bad.push(`${table_name}.${column_name}: ${found.rows[0]?.n} with control characters`)
    }
    assert.deepEqual(bad, [])
    const chain = await verifyAuditChain(t.database.db)
    assert.ok(chain.ok, 'the audit chain verifies')
  })
})

type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  enum?: unknown[]
  format?: string
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
}

/** A body shaped like the schema's, each value at times plausible and at times trouble. */
function bodyFor(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const plausible = (s: JsonSchema): fc.Arbitrary<unknown> => {
    if (s.enum && s.enum.length > 0) return fc.constantFrom(...s.enum)
    const variants = s.anyOf ?? s.oneOf
    if (variants && variants.length > 0) return fc.oneof(...variants.map((v) => bodyFor(v, depth + 1)))
    const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type
    if (type === 'object' && s.properties && depth < 3) return bodyFor(s, depth + 1)
    if (type === 'array' && s.items && depth < 3)
      return fc.array(bodyFor(s.items, depth + 1), { maxLength: 3 })
    if (s.format === 'date' || /date/i.test(s.format ?? ''))
      return fc.constantFrom('2025-02-30', '2024-02-29', '0000-00-00', '99999-01-01')
    if (type === 'integer' || type === 'number')
      return fc.oneof(fc.integer(), fc.constantFrom(-1, 0, 1e308, 1.5))
    if (type === 'boolean') return fc.boolean()
    return hostileString
  }
  if (!schema.properties) return fc.oneof(plausible(schema), wrongType)
  const shape = Object.fromEntries(
    Object.entries(schema.properties).map(([name, s]) => [
      name,
      fc.oneof({ weight: 3, arbitrary: plausible(s) }, { weight: 1, arbitrary: hostileJson }),
    ]),
  )
  return fc.record(shape, { requiredKeys: [] })
}

test('CSV cells never start a formula, whatever the text', () => {
  fc.assert(
    fc.property(
      fc.oneof(hostileString, fc.string(), fc.constantFrom('=1+1', '+1', '-1', '@A1', '\t=1', '\r=1')),
      (text) => {
        const cell = csvCell(text)
        assert.ok(cell.startsWith('"') && cell.endsWith('"'))
        const inside = cell.slice(1, -1).replaceAll('""', '"')
        assert.doesNotMatch(inside, /^[=+\-@\t\r]/)
        assert.equal(inside.replace(/^'(?=[=+\-@\t\r])/, ''), text)
      },
    ),
    { numRuns: 300 },
  )
})
