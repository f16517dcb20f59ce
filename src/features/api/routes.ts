import type { FastifyInstance } from 'fastify'
import type { Services } from '../../services.ts'
import { childrenApi } from '../children/api.ts'
import { documentsApi } from '../documents/routes.ts'
import { familiesApi } from '../families/api.ts'
import { plansApi } from '../plans/api.ts'
import { lifecycleApi } from '../plans/lifecycle-api.ts'
import { reviewsApi } from '../reviews/api.ts'

// The JSON API: bearer tokens, zod schemas that are also the OpenAPI document, problem+json errors.
export async function apiRoutes(app: FastifyInstance, { services }: { services: Services }) {
  app.get('/openapi.json', { config: { permission: 'public' } }, async () => app.swagger())
  await app.register(childrenApi, { services })
  await app.register(familiesApi, { services })
  await app.register(plansApi, { services })
  await app.register(lifecycleApi, { services })
  await app.register(reviewsApi, { services })
  await app.register(documentsApi, { services })
}
