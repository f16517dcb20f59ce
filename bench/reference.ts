import Fastify from 'fastify'
import { measureTarget, type Scenario } from './scenario.ts'
import type { RunningTarget } from './server.ts'
import type { TargetOptions } from './target.ts'

// The reference: Fastify with one route that answers a small, fixed HTML page. No plugins, no
// database, no templates, no logging: what this machine's Node and Fastify do with nothing to do.
// Every other figure is read against it, measured in the same run on the same machine.

const page =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Reference</title></head>' +
  '<body><h1>Reference</h1><p>A fixed page with no database and no templates.</p></body></html>'

/** Server side: the bare route. */
export async function bareFastifyTarget(options: TargetOptions): Promise<RunningTarget> {
  const app = Fastify({ logger: false })
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page))
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    pages: [{ url: `${address}/`, expect: { status: 200, contains: ['<h1>Reference</h1>'] } }],
    // The same number of header sets as a signed-in page has, so that autocannon works the same.
    headerSets: Array.from({ length: options.sessions }, () => ({ accept: 'text/html' })),
    details: [`one route answering a fixed ${Buffer.byteLength(page)}-byte HTML page`],
    close: () => app.close(),
  }
}

export const bareFastifyScenario: Scenario = {
  id: 'bare-fastify',
  title: 'Bare Fastify route (reference)',
  async run(context) {
    const { rows, details } = await measureTarget('Bare Fastify route', 'bare-fastify', {}, context)
    return {
      id: this.id,
      title: this.title,
      description: [
        `Fastify ${Fastify().version} with ${details.join('; ')}: no plugins, no database, no templates, ` +
          'no logging. The ceiling for any page of the service on this machine; the other tables give ' +
          'their throughput as a share of it.',
      ],
      rows,
      notes: [],
    }
  },
}
