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
  interface FastifyReply {
    pageContext: PageContext
    render(template: string, data?: Record<string, unknown>): FastifyReply
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
