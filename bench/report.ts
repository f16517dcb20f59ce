import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { arch, availableParallelism, cpus, release, totalmem, type } from 'node:os'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Measurement } from './measure.ts'
import type { ResultRow, Section } from './scenario.ts'
import type { Settings } from './settings.ts'

// The figures, twice: a table on stdout, and the generated part of docs/performance.md, between
// two markers, so that the prose around it is written by people and survives every run.

const root = fileURLToPath(new URL('..', import.meta.url))
export const REPORT_PATH = `${root}docs/performance.md`
const START = '<!-- bench:start: from here to bench:end is written by `npm run bench`; edit outside it -->'
const END = '<!-- bench:end -->'

export type RunInfo = {
  date: Date
  /** The 1, 5 and 15-minute load averages when the run began: well above zero means something else was busy. */
  loadBefore: number[]
  settings: Settings
  /** Tool and server versions worth recording, e.g. { autocannon: '9.0.0' }. */
  versions: Record<string, string>
}

export function packageVersion(name: string): string {
  try {
    const json = readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')
    return (JSON.parse(json) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

function gitDescription(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim()
    const commit = git('rev-parse', '--short', 'HEAD')
    // The report this run rewrites is not code: its own changes do not make the code measured dirty.
    const dirty =
      git('status', '--porcelain', '--untracked-files=no', '--', '.', ':!docs/performance.md') !== ''
    return `commit ${commit}${dirty ? ', with uncommitted changes' : ''}`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

export function machine(): [string, string][] {
  const cores = cpus()
  const model = cores[0]?.model.trim() || 'unknown'
  return [
    ['CPU', `${model}, ${availableParallelism()} cores`],
    ['Memory', `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`],
    ['System', `${type()} ${release()} (${arch()})`],
    ['Node.js', process.version],
  ]
}

// ---- Formatting ----

const milliseconds = (value: number) =>
  Number.isNaN(value)
    ? 'n/a'
    : value < 10
      ? value.toFixed(2)
      : value < 100
        ? value.toFixed(1)
        : value.toFixed(0)

const rate = (value: number) => Math.round(value).toLocaleString('en-GB')

function failures(m: Measurement): string {
  return m.errors === 0 && m.non2xx === 0 ? '0' : `${m.errors} / ${m.non2xx}`
}

function share(row: ResultRow): string {
  if (!row.baseline || row.baseline === row.measurement) return '—'
  return `${((row.measurement.requestsPerSecond / row.baseline.requestsPerSecond) * 100).toFixed(1)} %`
}

/** The whole-plan page's requests/s as a multiple of the Express + Nunjucks reference's. */
function timesConventional(row: ResultRow): string {
  if (!row.conventional) return '—'
  return `${(row.measurement.requestsPerSecond / row.conventional.requestsPerSecond).toFixed(2)}×`
}

const HEADINGS = [
  'Target',
  'Connections',
  'Requests/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'Errors / non-2xx',
  'vs bare route',
]

/** The column "vs Express" is shown only in tables that have a row to fill it. */
const withConventional = (rows: ResultRow[]) => rows.some((row) => row.conventional)

function headings(rows: ResultRow[]): string[] {
  return withConventional(rows) ? [...HEADINGS, 'vs Express'] : HEADINGS
}

function cells(row: ResultRow, conventional = false): string[] {
  const m = row.measurement
  const all = [
    row.label,
    String(m.connections),
    rate(m.requestsPerSecond),
    milliseconds(m.p50),
    milliseconds(m.p95),
    milliseconds(m.p99),
    failures(m),
    share(row),
  ]
  return conventional ? [...all, timesConventional(row)] : all
}

function failureNotes(section: Section): string[] {
  return section.rows
    .filter((row) => row.measurement.errors > 0 || row.measurement.non2xx > 0)
    .map(
      (row) =>
        `**${row.label}, ${row.measurement.connections} connections: ${row.measurement.errors} errors and ` +
        `${row.measurement.non2xx} non-2xx responses** of ${row.measurement.responses}; its figures are not to be trusted.`,
    )
}

// ---- stdout ----

export function summaryTable(sections: Section[]): string {
  const measured = sections.flatMap((section) => section.rows)
  const conventional = withConventional(measured)
  const rows = measured.map((row) => cells(row, conventional))
  const columns = headings(measured)
  const widths = columns.map((heading, i) =>
    Math.max(heading.length, ...rows.map((row) => row[i]?.length ?? 0)),
  )
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')
  const rule = widths.map((width) => '-'.repeat(width)).join('  ')
  const notes = sections.flatMap((section) => [...section.notes, ...failureNotes(section)])
  const others = sections.flatMap((section) =>
    (section.tables ?? []).flatMap((table) => [
      '',
      table.caption ?? section.title,
      table.headings.join('  '),
      ...table.rows.map((row) => row.join('  ')),
    ]),
  )
  return [
    line(columns),
    rule,
    ...rows.map(line),
    ...others.map((row) => row.replaceAll('**', '')),
    ...notes.map((note) => `! ${note.replaceAll('**', '')}`),
  ].join('\n')
}

// ---- docs/performance.md ----

function markdownTable(headings: string[], rows: string[][], rightFrom = 1): string {
  const escapeCell = (cell: string) => cell.replaceAll('|', '\\|')
  const align = headings.map((_, i) => (i >= rightFrom ? '---:' : '---'))
  return [headings, align, ...rows].map((row) => `| ${row.map(escapeCell).join(' | ')} |`).join('\n')
}

export function resultsMarkdown(sections: Section[], info: RunInfo): string {
  const { settings } = info
  const when = `${info.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  const versions = Object.entries(info.versions).map(([name, version]) => [name, version] as [string, string])
  const parts = [
    '## Latest results',
    `Measured ${when} by \`npm run bench\`: each figure is ${settings.seconds} s of load after ` +
      `${settings.warmupSeconds} s of warm-up that is thrown away, at ${settings.connections.join(' and ')} ` +
      `concurrent connections (the main pages: 5 s after 1 s, at ${settings.pageConnections.join(', ')}), one request at a time on each. Latency is from sending a request to the end ` +
      'of its response, over 2xx responses; requests/s counts 2xx responses only.',
    markdownTable(
      ['Machine and software', ''],
      [
        ...machine(),
        [
          'Load average before the run (1, 5, 15 min)',
          info.loadBefore.map((load) => load.toFixed(2)).join(', '),
        ],
        ...versions,
        ['Code', gitDescription()],
      ],
      2,
    ),
  ]
  for (const section of sections) {
    parts.push(`### ${section.title}`, ...section.description)
    if (section.rows.length > 0) {
      const conventional = withConventional(section.rows)
      parts.push(
        markdownTable(
          headings(section.rows),
          section.rows.map((row) => cells(row, conventional)),
        ),
      )
    }
    for (const table of section.tables ?? []) {
      if (table.caption) parts.push(table.caption)
      parts.push(markdownTable(table.headings, table.rows))
    }
    const notes = [...section.notes, ...failureNotes(section)]
    if (notes.length > 0) parts.push(notes.map((note) => `- ${note}`).join('\n'))
  }
  return parts.join('\n\n')
}

/** Replaces the generated part of docs/performance.md, creating the file or the part when missing. */
export function writeReport(markdown: string, path = REPORT_PATH): void {
  const block = `${START}\n\n${markdown}\n\n${END}`
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Performance\n'
  const start = current.indexOf(START)
  const end = current.indexOf(END)
  const next =
    start !== -1 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${block}\n`
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, next)
}
