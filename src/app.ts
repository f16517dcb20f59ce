import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyFormbody from '@fastify/formbody'
import fastifyHelmet from '@fastify/helmet'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
} from 'fastify-type-provider-zod'
import type { Config } from './config.ts'
import { accountRoutes } from './features/account/routes.ts'
import { adoptersPartRoutes } from './features/adopters-part/routes.ts'
import { allocationRoutes } from './features/allocations/routes.ts'
import { apiRoutes } from './features/api/routes.ts'
import { auditRoutes } from './features/audit/routes.ts'
import { barometerRoutes } from './features/barometer/routes.ts'
import { birthFamilyPublicRoutes } from './features/birth-family/public-routes.ts'
import { birthFamilyRoutes } from './features/birth-family/routes.ts'
import { childrenRoutes } from './features/children/routes.ts'
import { documentRoutes } from './features/documents/routes.ts'
import { familyRoutes } from './features/families/routes.ts'
import { guidanceRoutes } from './features/guidance/routes.ts'
import { homeRoutes } from './features/home/routes.ts'
import { invitationRoutes } from './features/invitations/routes.ts'
import { meetingRoutes } from './features/meetings/routes.ts'
import { operationsRoutes } from './features/operations/routes.ts'
import { pagesRoutes } from './features/pages/routes.ts'
import { photoRoutes } from './features/photos/routes.ts'
import { lifecycleRoutes } from './features/plans/lifecycle-routes.ts'
import { planRoutes } from './features/plans/routes.ts'
import { reviewRoutes } from './features/reviews/routes.ts'
import { signInRoutes } from './features/sign-in/routes.ts'
import { singleSignOnRoutes } from './features/single-sign-on/routes.ts'
import { staffRoutes } from './features/staff/routes.ts'
import { badAddress, errorHandler, notFound } from './platform/errors.ts'
import { cleanInput } from './platform/input.ts'
import { loggerOptions, requestId } from './platform/logging.ts'
import { measureRequests, metricsRegistry } from './platform/metrics.ts'
import { overloadProtection } from './platform/overload.ts'
import { authentication, authorisation, csrfProtection } from './platform/pipeline.ts'
import type { Action } from './platform/policy.ts'
import './platform/request-context.ts'
import { aroundRenderer, createViews, emptyPageContext, renderer } from './platform/views.ts'
import type { Services } from './services.ts'

export type RouteEntry = { method: string; url: string; permission: Action | undefined }

declare module 'fastify' {
  interface FastifyInstance {
    routeCatalogue: RouteEntry[]
  }
}

const publicAssets = fileURLToPath(new URL('../public/assets', import.meta.url))

/**
 * The web application and API. Read top to bottom, this is the path a request travels: logging and
 * ids, security headers, cookies and bodies, static files, views, who is asking, whether they may,
 * CSRF, then each feature's routes, then not-found and errors.
 */
export async function buildApp(config: Config, services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config.logLevel),
    genReqId: requestId,
    trustProxy: config.trustProxy,
    bodyLimit: 1_048_576,
    return503OnClosing: true,
    // An address the router cannot read is refused as any other bad request (problem+json or a page).
    frameworkErrors: badAddress,
  })
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id)
  })
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // Set before any plugin is registered: each plugin keeps the error handler it was registered under.
  app.setErrorHandler(errorHandler)

  const registry = metricsRegistry()
  measureRequests(app, registry)

  await app.register(fastifyHelmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    strictTransportSecurity: config.secureCookies,
    referrerPolicy: { policy: 'no-referrer' },
  })
  await app.register(fastifyCookie)
  await app.register(fastifyFormbody, { bodyLimit: 262_144 })
  await app.register(fastifyRateLimit, { global: false })

  // Static assets are public; every other route names its permission where it is declared. The
  // catalogue lets a test prove that none was forgotten.
  const catalogue: RouteEntry[] = []
  app.decorate('routeCatalogue', catalogue)
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/assets')) route.config = { ...route.config, permission: 'public' }
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods)
      catalogue.push({ method, url: route.url, permission: route.config?.permission })
  })
  await app.register(fastifyStatic, { root: publicAssets, prefix: '/assets/', maxAge: '1h', index: false })

  const views = createViews({ reload: config.env === 'development' })
  app.decorateReply('pageContext', null as never)
  app.decorateReply('render', renderer(views))
  app.decorateReply('renderAround', aroundRenderer(views))
  app.decorate('views', views)
  app.addHook('onRequest', async (request, reply) => {
    reply.pageContext = emptyPageContext(request)
  })
  // Past capacity: 503 with Retry-After before any work is done for the request (docs/adr/0021).
  await overloadProtection(app, config.overload)

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Adoption Support API',
        version: '1.0.0',
        description: 'Children, families and Adoption Support Plans. Records outside your reach answer 404.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: (document) => {
      if (!document.url.startsWith('/api/v1/') || document.url === '/api/v1/openapi.json') {
        return { schema: { ...document.schema, hide: true }, url: document.url }
      }
      return jsonSchemaTransform(document)
    },
    transformObject: jsonSchemaTransformObject,
  })

  authentication(app, services, config)
  authorisation(app)
  csrfProtection(app, config)
  cleanInput(app)

  await app.register(operationsRoutes, { services, registry })
  await app.register(pagesRoutes)
  await app.register(homeRoutes, { services })
  await app.register(signInRoutes, { services, config })
  await app.register(singleSignOnRoutes, { services, config })
  await app.register(childrenRoutes, { services })
  await app.register(allocationRoutes, { services })
  await app.register(staffRoutes, { services })
  await app.register(familyRoutes, { services })
  await app.register(planRoutes, { services })
  await app.register(lifecycleRoutes, { services })
  await app.register(reviewRoutes, { services })
  await app.register(adoptersPartRoutes, { services })
  await app.register(meetingRoutes, { services })
  await app.register(barometerRoutes, { services })
  await app.register(birthFamilyRoutes, { services, config })
  await app.register(birthFamilyPublicRoutes, { services })
  await app.register(photoRoutes, { services })
  await app.register(documentRoutes, { services })
  await app.register(guidanceRoutes, { services })
  await app.register(accountRoutes, { services })
  await app.register(auditRoutes, { services })
  await app.register(invitationRoutes, { services, config })
  await app.register(apiRoutes, { services, prefix: '/api/v1' })

  app.setNotFoundHandler(notFound)
  return app
}
