import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import express from 'express'
import type { FastifyInstance } from 'fastify'
import nunjucks from 'nunjucks'
import { flattenSnapshot, type PlanSnapshot } from '../src/plan/versions.ts'
import { formatDate, londonTime, todayInEngland } from '../src/platform/dates.ts'
import { type NavigationItem, navigationFor } from '../src/platform/navigation.ts'
import type { Actor } from '../src/platform/policy.ts'
import { isStaffRole, ROLE_NAMES } from '../src/platform/roles.ts'
import { SERVICE_NAME } from '../src/platform/views.ts'
import type { Services } from '../src/services.ts'
import type { RunningTarget } from './server.ts'
import { benchConfig } from './signed-in.ts'
import type { TargetOptions } from './target.ts'

// The conventional UK-government stack, as the floor a typical team would get (issue 7): Express 5
// and Nunjucks set up the usual way (GOV.UK Frontend's templates on the Nunjucks path, nunjucks'
// Express integration, autoescape on, express.static for the assets), answering the whole-plan page
// of the large plan from static data: no session, no database, no audit. It renders the service's
// own templates (layout.njk, version.njk, version-fields.njk) with the same data, captured once from
// the plan the plan-page benchmark seeded, and renders all of it, the table of every field
// included, on every request: a typical team would not keep a rendered part.

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url))

/** What the reference needs to answer the service's whole-plan page, written by the plan-page target. */
export type ReferenceData = {
  /** The page's path, e.g. /plans/<id>/versions/10. */
  path: string
  /** The plan's header, as the version page is given it. */
  plan: { id: string } & Record<string, unknown>
  /** The version's header (number, reason, when, by whom, hash), without its content. */
  version: { number: number; takenAt: string } & Record<string, unknown>
  /** The version's content, flattened into the table of fields once when the reference starts. */
  snapshot: PlanSnapshot
  /** What the layout shows of the person signed in (the reference has no session; it shows the same). */
  context: {
    navigation: NavigationItem[]
    user: { name: string; roleName: string }
    session: { idleSeconds: number; warningSeconds: number }
  }
  /** The service's page as it answered, to check that the reference answers the same HTML. */
  html: string
  /** Texts the page must contain (the benchmark's check of the service's page). */
  contains: string[]
}

/**
 * Plan-page target side: writes what the reference needs, from the seeded plan, for the person the
 * benchmark signed in (their navigation, name and role, as the service's page context has them).
 */
export async function writeReferenceData(
  file: string,
  given: {
    app: FastifyInstance
    services: Services
    actor: Actor & { kind: 'staff'; userId: string }
    planId: string
    number: number
    html: string
    contains: string[]
  },
): Promise<void> {
  const { app, services, actor, planId, number } = given
  const found = await services.plans.version(actor, planId, number, 'bench')
  if (!found) throw new Error(`version ${number} of the benchmark's plan cannot be read`)
  const user = await services.db
    .selectFrom('users')
    .select(['name', 'role'])
    .where('id', '=', actor.userId)
    .executeTakeFirstOrThrow()
  const path = `/plans/${planId}/versions/${number}`
  const pages = new Set(
    app.routeCatalogue.filter((route) => route.method === 'GET').map((route) => route.url),
  )
  const config = benchConfig()
  const { content, ...version } = found.version
  const data: ReferenceData = {
    path,
    plan: found.plan,
    version: { ...version, takenAt: version.takenAt.toISOString() },
    snapshot: content,
    context: {
      navigation: navigationFor(actor, path, pages),
      user: { name: user.name, roleName: isStaffRole(user.role) ? ROLE_NAMES[user.role] : user.role },
      session: {
        idleSeconds: config.sessionIdleMinutes * 60,
        warningSeconds: config.sessionWarningSeconds,
      },
    },
    html: given.html,
    contains: given.contains,
  }
  writeFileSync(file, JSON.stringify(data))
}

/** The Express app: the whole-plan page from static data, rendered in full on every request. */
export function expressReferenceApp(data: ReferenceData): express.Express {
  const app = express()
  const views = nunjucks.configure(
    [fromRoot('src/views'), fromRoot('src/features'), fromRoot('node_modules/govuk-frontend/dist')],
    // trimBlocks and lstripBlocks as the service has them: they change only whitespace, but the
    // reference must send the same HTML.
    { autoescape: true, express: app, trimBlocks: true, lstripBlocks: true },
  )
  views.addFilter('time', (date: Date) => `${formatDate(todayInEngland(date))} at ${londonTime(date)}`)
  views.addGlobal('serviceName', SERVICE_NAME)
  app.set('view engine', 'njk')
  // As in production (NODE_ENV=production turns it on); Nunjucks keeps its compiled templates anyway.
  app.enable('view cache')
  app.use('/assets', express.static(fromRoot('public/assets'), { maxAge: '1h', index: false }))
  // A CSP nonce for each request, as a team serving GOV.UK Frontend's script would make; no CSRF
  // token without a session, so the sign-out form carries a stand-in of the same length.
  const csrfToken = randomBytes(32).toString('base64url')
  app.use((_request, response, next) => {
    response.locals.cspNonce = randomBytes(16).toString('hex')
    next()
  })

  const version = { ...data.version, takenAt: new Date(data.version.takenAt) }
  const fields = flattenSnapshot(data.snapshot)
  app.get('/plans/:id/versions/:number', (request, response) => {
    if (request.params.id !== data.plan.id || Number(request.params.number) !== version.number) {
      response.status(404).send('Page not found')
      return
    }
    const fieldsTable = views.render('plans/views/version-fields.njk', { version, fields })
    response.render('plans/views/version.njk', {
      ...data.context,
      csrfToken,
      currentPath: request.path,
      title: `Version ${version.number}`,
      plan: data.plan,
      version,
      fieldsTable,
    })
  })
  return app
}

/** The per-request tokens, which differ between any two answers of the same page, masked. */
const masked = (html: string) =>
  html.replace(/ nonce="[^"]*"/g, ' nonce=""').replace(/(name="_csrf" value=|data-csrf=)"[^"]*"/g, '$1""')

/** Throws unless the reference's HTML is the service's, apart from the per-request tokens. */
export function checkSameHtml(reference: string, service: string): void {
  const [ours, theirs] = [masked(service), masked(reference)]
  if (ours === theirs) return
  let at = 0
  while (at < ours.length && ours[at] === theirs[at]) at++
  const around = (html: string) => JSON.stringify(html.slice(Math.max(0, at - 80), at + 80))
  throw new Error(
    `the Express reference's HTML is not the service's (${theirs.length} and ${ours.length} characters, ` +
      `first different at ${at}): ${around(theirs)} where the service has ${around(ours)}`,
  )
}

/** Server side: the Express reference on the data the plan-page target wrote to `options.referenceData`. */
export async function expressReferenceTarget(options: TargetOptions): Promise<RunningTarget> {
  if (!options.referenceData) throw new Error('the Express reference needs the plan-page target’s data')
  const data = JSON.parse(readFileSync(options.referenceData, 'utf8')) as ReferenceData
  const server = expressReferenceApp(data).listen(0, '127.0.0.1')
  await once(server, 'listening')
  const close = async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  try {
    const { port } = server.address() as AddressInfo
    const url = `http://127.0.0.1:${port}${data.path}`
    const html = await (await fetch(url)).text()
    checkSameHtml(html, data.html)
    return {
      pages: [{ url, expect: { status: 200, contains: data.contains } }],
      // As many header sets as the service's page has sessions, so that autocannon works the same.
      headerSets: Array.from({ length: Math.max(1, options.sessions) }, () => ({ accept: 'text/html' })),
      details: [
        `${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB, the service’s page byte for byte but for ` +
          'the CSP nonce and the CSRF token',
      ],
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}
