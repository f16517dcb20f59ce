import { fileURLToPath } from 'node:url'
import type { FastifyReply, FastifyRequest } from 'fastify'
import nunjucks from 'nunjucks'
import { formatDate, londonTime, todayInEngland } from './dates.ts'
import type { NavigationItem } from './navigation.ts'
import { isStaffRole, ROLE_NAMES } from './roles.ts'

// Server-rendered pages: Nunjucks over GOV.UK Frontend and MoJ Frontend. Each page extends
// src/views/layout.njk; a feature's templates live in src/features/<feature>/views/ and are named
// from src/features, e.g. "children/views/list.njk".

const fromRoot = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

export const SERVICE_NAME = 'Adoption Support'

export function createViews(options: { reload: boolean }): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader(
      [
        fromRoot('src/views'),
        fromRoot('src/features'),
        fromRoot('node_modules/govuk-frontend/dist'),
        fromRoot('node_modules/@ministryofjustice/frontend'),
      ],
      { noCache: options.reload },
    ),
    { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true },
  )
  env.addFilter('date', (iso: string | null | undefined) => (iso ? formatDate(iso) : ''))
  env.addFilter('isoDate', (date: Date) => todayInEngland(date))
  env.addFilter('time', (date: Date) => `${formatDate(todayInEngland(date))} at ${londonTime(date)}`)
  env.addFilter('roleName', (role: string) => (isStaffRole(role) ? ROLE_NAMES[role] : role))
  // Nunjucks' own trim is a regular expression that is slow on long strings, and GOV.UK Frontend's
  // summary list and card macros pass their whole rendered HTML through it: the same whitespace is
  // stripped here by String.prototype.trim, and safe (already escaped) HTML stays safe.
  env.addFilter('trim', (value: unknown) => {
    const trimmed = value === null || value === undefined ? '' : String(value).trim()
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(trimmed) : trimmed
  })
  env.addGlobal('serviceName', SERVICE_NAME)
  return env
}

/** What every page's layout needs, taken from the request the platform has already looked at. */
export type PageContext = {
  cspNonce: string
  csrfToken: string
  currentPath: string
  navigation: NavigationItem[]
  user: { name: string; roleName: string } | null
  session: { idleSeconds: number; warningSeconds: number } | null
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The templates, for a part of a page rendered on its own (to keep, say). */
    views: nunjucks.Environment
  }
  interface FastifyReply {
    pageContext: PageContext
    render(template: string, data?: Record<string, unknown>): FastifyReply
    /** `render`, with values that are parts rendered earlier and kept as bytes (see RenderedCache). */
    renderAround(
      template: string,
      data: Record<string, unknown>,
      kept: { name: string; bytes: Buffer } | { name: string; bytes: Buffer }[],
    ): FastifyReply
  }
}

export function renderer(env: nunjucks.Environment) {
  return function render(
    this: FastifyReply,
    template: string,
    data: Record<string, unknown> = {},
  ): FastifyReply {
    const html = env.render(template, { ...this.pageContext, ...data })
    return this.type('text/html; charset=utf-8').send(html)
  }
}

// Stands in for a kept part while the rest of the page is rendered: a comment no template writes.
const keptMarker = (name: string) => `<!--kept part: ${name}-->`

type KeptPart = { name: string; bytes: Buffer }

/**
 * Renders the page around bytes rendered earlier: the kept parts are neither rendered nor encoded
 * again (for a whole plan, that is most of the page and most of the work).
 */
export function aroundRenderer(env: nunjucks.Environment) {
  return function renderAround(
    this: FastifyReply,
    template: string,
    data: Record<string, unknown>,
    kept: KeptPart | KeptPart[],
  ): FastifyReply {
    const parts = Array.isArray(kept) ? kept : [kept]
    const html = env.render(template, {
      ...this.pageContext,
      ...data,
      ...Object.fromEntries(
        parts.map((part) => [part.name, new nunjucks.runtime.SafeString(keptMarker(part.name))]),
      ),
    })
    const placed = parts
      .map((part) => ({ part, at: html.indexOf(keptMarker(part.name)) }))
      .sort((a, b) => a.at - b.at)
    const chunks: Buffer[] = []
    let from = 0
    for (const { part, at } of placed) {
      if (at < 0) throw new Error(`${template} does not show ${part.name}`)
      chunks.push(Buffer.from(html.slice(from, at)), part.bytes)
      from = at + keptMarker(part.name).length
    }
    chunks.push(Buffer.from(html.slice(from)))
    return this.type('text/html; charset=utf-8').send(Buffer.concat(chunks))
  }
}

export function emptyPageContext(request: FastifyRequest): PageContext {
  return {
    cspNonce: '',
    csrfToken: '',
    currentPath: request.url.split('?')[0] ?? '/',
    navigation: [],
    user: null,
    session: null,
  }
}
