import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { databaseAnswers } from '../../db/database.ts'
import type { Services } from '../../services.ts'

// For load balancers and monitoring: is the service able to answer, and how is it doing.
export async function operationsRoutes(
  app: FastifyInstance,
  { services, registry }: { services: Services; registry: Registry },
): Promise<void> {
  app.get('/health', { config: { permission: 'public' } }, async (_request, reply) => {
    const ok = await databaseAnswers(services.db)
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable' })
  })

  app.get('/metrics', { config: { permission: 'operations' } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
