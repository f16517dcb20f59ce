import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Scenario } from './scenario.ts'

// Issue 6: how long the large plan takes to become a PDF and a Word file, and how much memory a
// process needs to do it. The model is built once, as the download route builds it (from a saved
// version of the large plan of bench/plan-page.ts, with a photo of the child and of each adopter);
// each format is then rendered in a fresh process, first cold, then RENDERS more times.

const RENDERS = 20
const BUDGETS = { pdf: 300, docx: 200 } as const
const NAMES = { pdf: 'PDF', docx: 'Word (.docx)' } as const

type Rendered = {
  format: 'pdf' | 'docx'
  milliseconds: number[]
  bytes: number
  rssBefore: number
  peakRss: number
  heapKept: number
  images: number
}

const worker = (args: string[]) =>
  execFileSync(process.execPath, ['--expose-gc', join(import.meta.dirname, 'documents-worker.ts'), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`
const ms = (value: number) => `${value.toFixed(0)} ms`

export const documentsScenario: Scenario = {
  id: 'documents',
  title: 'Documents: the large plan as a PDF and a Word file',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'bench-documents-'))
    try {
      const model = join(dir, 'model.json')
      process.stdout.write('Documents: writing the large plan and its photos\n')
      worker(['seed', model])
      const results: Rendered[] = []
      for (const format of ['pdf', 'docx'] as const) {
        const result = JSON.parse(worker(['render', format, model, String(RENDERS + 1)]).trim()) as Rendered
        const [cold, ...warm] = result.milliseconds
        const sorted = [...warm].sort((a, b) => a - b)
        process.stdout.write(
          `  ${NAMES[format]}: cold ${ms(cold ?? Number.NaN)}, p50 ${ms(percentile(sorted, 50))}, ` +
            `p95 ${ms(percentile(sorted, 95))}, peak ${mib(result.peakRss)}\n`,
        )
        results.push(result)
      }
      const rows = results.map((result) => {
        const [cold, ...warm] = result.milliseconds
        const sorted = [...warm].sort((a, b) => a - b)
        const p95 = percentile(sorted, 95)
        return {
          result,
          cells: [
            NAMES[result.format],
            `${(result.bytes / 1024).toFixed(0)} KiB`,
            ms(cold ?? Number.NaN),
            ms(percentile(sorted, 50)),
            ms(p95),
            ms(sorted.at(-1) ?? Number.NaN),
            mib(result.peakRss),
            mib(result.peakRss - result.rssBefore),
            mib(result.heapKept),
            `${BUDGETS[result.format]} ms: ${p95 < BUDGETS[result.format] ? 'met' : '**missed**'}`,
          ],
        }
      })
      return {
        id: this.id,
        title: this.title,
        description: [
          'The whole plan (`full` variant) of the large plan measured above (40 needs, 20 people in the ' +
            `network, every question answered) with ${results[0]?.images ?? 0} photos of 1600 × 1200 pixels, ` +
            'built from its latest version as `GET /plans/:id/documents/full.{pdf,docx}` builds it. Each ' +
            `format is rendered in a fresh Node.js process: once cold (fonts loaded, code not yet optimised), ` +
            `then ${RENDERS} times; p50, p95 and max are over those ${RENDERS}. Peak memory is the rendering ` +
            'process’s peak resident set; “added” is that peak less the process’s size before the first render ' +
            '(mostly garbage the collector had not yet handed back); “kept” is what the renderer still holds ' +
            'after a full garbage collection (parsed fonts, shaped words).',
        ],
        rows: [],
        table: {
          headings: [
            'Format',
            'File',
            'Cold',
            'p50',
            'p95',
            'Max',
            'Peak memory',
            'Added',
            'Kept',
            'Budget (p95)',
          ],
          rows: rows.map((row) => row.cells),
        },
        notes: [],
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  },
}
