import type { Selectable } from 'kysely'
import type { DatabaseHandle } from '../../src/db/database.ts'
import type { Database } from '../../src/db/schema.ts'

// Rows gathered in memory, table by table, and written with COPY in PostgreSQL's text format: what
// makes a national database in minutes instead of hours of INSERTs.

type Value = string | number | boolean | null | undefined | Date | object

/** A row as the database keeps it: any columns of the table, with their stored types. */
export type Row<T extends keyof Database> = Partial<Selectable<Database[T]>>

// Backslash first, or the escapes added after it would be escaped again.
const ESCAPES: [RegExp, string][] = [
  [/\\/g, '\\\\'],
  [/\n/g, '\\n'],
  [/\r/g, '\\r'],
  [/\t/g, '\\t'],
]

/** One value in COPY's text format: `\N` for null, escaped text, ISO times, JSON for objects. */
export function copyValue(value: Value): string {
  if (value === null || value === undefined) return '\\N'
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'boolean') return value ? 't' : 'f'
  if (typeof value === 'number') return String(value)
  let text = typeof value === 'string' ? value : JSON.stringify(value)
  if (/[\\\n\r\t]/.test(text))
    for (const [pattern, replacement] of ESCAPES) text = text.replace(pattern, replacement)
  return text
}

/** Rows waiting to be written, by table; tables are written in the order given, parents first. */
export class CopyBuffer {
  private readonly tables = new Map<string, { columns: string[]; lines: string[] }>()
  private readonly written = new Map<string, number>()

  constructor(order: readonly (keyof Database)[]) {
    for (const table of order) this.tables.set(table, { columns: [], lines: [] })
  }

  add<T extends keyof Database>(table: T, row: Row<T>): void {
    const pending = this.tables.get(table)
    if (!pending) throw new Error(`${table} is not among the tables this buffer writes`)
    if (pending.columns.length === 0) pending.columns = Object.keys(row)
    const values = row as Record<string, Value>
    if (Object.keys(row).length !== pending.columns.length)
      throw new Error(`A row of ${table} has other columns than the first: ${Object.keys(row).join(', ')}`)
    pending.lines.push(pending.columns.map((column) => copyValue(values[column])).join('\t'))
  }

  /** Writes every table's rows, in the buffer's order. */
  async flush(handle: DatabaseHandle): Promise<void> {
    for (const [table, { columns, lines }] of this.tables) {
      if (lines.length === 0) continue
      await handle.copyIn(table, columns, `${lines.join('\n')}\n`)
      this.written.set(table, (this.written.get(table) ?? 0) + lines.length)
      lines.length = 0
    }
  }

  /** Rows written so far, by table. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.written)
  }
}
