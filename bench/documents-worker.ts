import { readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import sharp from 'sharp'
import { renderDocx } from '../src/documents/docx.ts'
import type { DocumentModel } from '../src/documents/model.ts'
import { renderPdf } from '../src/documents/pdf.ts'
import { preparePhoto } from '../src/platform/photos.ts'
import { services } from '../src/services.ts'
import { testDatabase } from '../test/support/database.ts'
import { seedLargePlan } from './plan-page.ts'
import { benchConfig } from './signed-in.ts'

// The documents benchmark's two halves, each in a process of its own (bench/documents.ts runs them):
//   seed FILE            writes the large plan with photos, saves a version, and writes the full
//                        plan's document model (as the download route builds it) to FILE as JSON
//   render FORMAT FILE N renders that model N times as pdf or docx, in a fresh process, and prints
//                        the times and the process's memory as one line of JSON
// A fresh process for rendering keeps the database's memory out of the peak that is reported.

type Stored = Omit<DocumentModel, 'createdAt' | 'blocks'> & {
  createdAt: string
  blocks: (DocumentModel['blocks'][number] | { kind: 'image'; bytes: string })[]
}

/** A phone photo's size, of something with detail in it, so that compression does real work. */
async function photo(seed: number): Promise<Buffer> {
  const width = 1600
  const height = 1200
  const data = Buffer.alloc(width * height * 3)
  for (let i = 0; i < data.length; i++) data[i] = (i * seed + (i >> 9) * 31) & 0xff
  return sharp(data, { raw: { width, height, channels: 3 } })
    .blur(3)
    .jpeg({ quality: 85 })
    .toBuffer()
}

async function seed(file: string): Promise<void> {
  const database = await testDatabase()
  try {
    const app = services(database.db, benchConfig())
    const seeded = await seedLargePlan(app)
    const user = await database.db
      .selectFrom('users')
      .select('agency_id')
      .where('id', '=', seeded.userId)
      .executeTakeFirstOrThrow()
    const worker = {
      kind: 'staff' as const,
      userId: seeded.userId,
      agencyId: user.agency_id as string,
      role: 'social-worker' as const,
    }
    const plan = await app.plans.reach(worker, seeded.planId, 'plan:view')
    if (!plan) throw new Error('the plan cannot be read')
    const subjects = await app.photos.subjectsOf(plan)
    for (const [index, subject] of subjects.entries()) {
      const prepared = await preparePhoto(await photo(index + 3))
      if (!prepared.ok) throw new Error(`photo refused: ${prepared.error}`)
      await app.photos.add(worker, plan.id, subject.key, prepared.photo, `${subject.name} at home`, 'bench')
    }
    await app.plans.takeVersion(worker, plan.id, 'With photos', 'bench')
    const found = await app.documents.document(
      worker,
      { planId: plan.id, variant: 'full', format: 'pdf' },
      'bench',
    )
    if (found.outcome !== 'ok') throw new Error(`no document: ${found.outcome}`)
    const model = found.build.model
    const stored: Stored = {
      ...model,
      createdAt: model.createdAt.toISOString(),
      blocks: model.blocks.map((block) =>
        block.kind === 'image' ? { ...block, bytes: Buffer.from(block.bytes).toString('base64') } : block,
      ),
    }
    writeFileSync(file, JSON.stringify(stored))
  } finally {
    await database.close()
  }
}

function load(file: string): DocumentModel {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as Stored
  return {
    ...stored,
    createdAt: new Date(stored.createdAt),
    blocks: stored.blocks.map((block) =>
      block.kind === 'image' && typeof block.bytes === 'string'
        ? ({ ...block, bytes: Buffer.from(block.bytes, 'base64') } as DocumentModel['blocks'][number])
        : (block as DocumentModel['blocks'][number]),
    ),
  }
}

async function render(format: 'pdf' | 'docx', file: string, times: number): Promise<void> {
  const model = load(file)
  const renderer = format === 'pdf' ? renderPdf : renderDocx
  ;(globalThis as { gc?: () => void }).gc?.()
  const rssBefore = process.memoryUsage().rss
  const heapBefore = process.memoryUsage().heapUsed
  const milliseconds: number[] = []
  let bytes = 0
  let peakRss = rssBefore
  for (let i = 0; i < times; i++) {
    const start = performance.now()
    const out = await renderer(model)
    milliseconds.push(performance.now() - start)
    bytes = out.length
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
  }
  const maxRss = process.resourceUsage().maxRSS * 1024
  // What rendering keeps once its garbage is collected (the shaped words, the parsed fonts): the rest
  // of the peak is garbage the collector had not yet returned to the system.
  const collect = (globalThis as { gc?: () => void }).gc
  collect?.()
  const heapKept = process.memoryUsage().heapUsed - heapBefore
  const images = model.blocks.filter((block) => block.kind === 'image').length
  process.stdout.write(
    `${JSON.stringify({ format, milliseconds, bytes, rssBefore, peakRss: Math.max(peakRss, maxRss), heapKept, images })}\n`,
  )
}

const [command, ...args] = process.argv.slice(2)
if (command === 'seed' && args[0]) await seed(args[0])
else if (command === 'render' && (args[0] === 'pdf' || args[0] === 'docx') && args[1])
  await render(args[0], args[1], Number(args[2] ?? 20))
else {
  process.stderr.write('usage: documents-worker.ts seed FILE | render pdf|docx FILE [N]\n')
  process.exit(2)
}
