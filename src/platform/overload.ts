import fastifyUnderPressure from '@fastify/under-pressure'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config.ts'
import { isApiRequest, sendProblem } from './errors.ts'

// Beyond capacity the service says so at once, with 503 and Retry-After, instead of queueing work
// it cannot finish in time until it falls over; it measures itself again every sample and serves
// normally as soon as the pressure is gone (docs/adr/0021). Checked before anyone is looked up, so a
// refusal costs no database round trip.

export type Pressure = {
  underPressure: boolean
  eventLoopDelayMs: number
  heapUsedBytes: number
  rssBytes: number
}

declare module 'fastify' {
  interface FastifyInstance {
    pressure: () => Pressure
    /** What a 503 for overload asks the client to wait, in seconds. */
    retryAfterSeconds: number
  }
}

// Async on purpose: under-pressure waits on the promise, and as the reply is sent by then no later
// hook or handler runs (a plain return value would be sent a second time).
function busy(config: Config['overload']) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const seconds = config.retryAfterSeconds
    reply.header('retry-after', String(seconds))
    if (isApiRequest(request)) {
      sendProblem(
        reply,
        503,
        'Service Unavailable',
        `The service is busy. Nothing was changed: try again in ${seconds} seconds.`,
      )
      return
    }
    const nonce = (reply as unknown as { cspNonce?: { script: string } }).cspNonce?.script ?? ''
    reply.pageContext = { ...reply.pageContext, cspNonce: nonce }
    reply.code(503).render('errors/busy.njk', { title: 'Sorry, the service is busy', seconds })
  }
}

export async function overloadProtection(app: FastifyInstance, config: Config['overload']): Promise<void> {
  await app.register(fastifyUnderPressure, {
    maxEventLoopDelay: config.maxEventLoopDelayMs,
    maxHeapUsedBytes: config.maxHeapUsedBytes,
    maxRssBytes: config.maxRssBytes,
    retryAfter: config.retryAfterSeconds,
    sampleInterval: config.sampleIntervalMs,
    pressureHandler: busy(config),
  })
  app.decorate('retryAfterSeconds', config.retryAfterSeconds)
  app.decorate('pressure', () => {
    const usage = app.memoryUsage()
    return {
      underPressure: app.isUnderPressure(),
      eventLoopDelayMs: Math.round(usage.eventLoopDelay),
      heapUsedBytes: usage.heapUsed,
      rssBytes: usage.rssBytes,
    }
  })
}

/** For a route that must answer even under pressure (the health check says how much there is). */
export const answersUnderPressure = () => undefined
