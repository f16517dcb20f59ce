import type { FastifyInstance } from 'fastify'
import type { Registry } from 'prom-client'
import { databaseAnswers } from '../../db/database.ts'
import { answersUnderPressure } from '../../platform/overload.ts'
import type { Services } from '../../services.ts'

// For load balancers and monitoring: is the service able to answer, and how is it doing.
export async function operationsRoutes(
  app: FastifyInstance,
  { services, registry }: { services: Services; registry: Registry },
): Promise<void> {
  // Answers even under pressure, to say so: a load balancer sends its traffic elsewhere meanwhile.
  const health = { permission: 'public' as const, pressureHandler: answersUnderPressure }
  app.get('/health', { config: health }, async (_request, reply) => {
    const pressure = app.pressure()
    if (pressure.underPressure) {
      reply.header('retry-after', String(app.retryAfterSeconds))
      return reply.code(503).send({ status: 'under-pressure', pressure })
    }
    const ok = await databaseAnswers(services.db)
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', pressure })
  })

  app.get('/metrics', { config: { permission: 'operations' } }, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics())
  })
}
