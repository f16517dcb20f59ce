import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'kysely'
import { z } from 'zod'
import { verifyAuditChain } from '../platform/audit.ts'
import { type Db, migrate, openDatabase } from './database.ts'
import { lockDataDir } from './lock.ts'
import { migrations } from './migrations/index.ts'

// Backups of the embedded database (docs/adr/0020). A backup file is one line naming the format, one
// line of JSON saying what is inside (the service's version, the migrations applied, each table's
// row count, the archive's size and SHA-256), then PGlite's archive of the data folder (tar.gz).
// A restore checks all of that before it touches anything, builds the restored database in a new
// folder beside DATA_DIR, opens it and verifies it, and only then swaps the folders, keeping the
// one it replaced.

export class BackupError extends Error {}

const MAGIC = 'adoption-support backup 1'
// The header is small; a file whose first lines are longer than this is not a backup.
const HEADER_LIMIT = 1 << 20

const manifestSchema = z.object({
  serviceVersion: z.string(),
  createdAt: z.string().datetime(),
  postgresVersion: z.string(),
  migrations: z.array(z.string()),
  rows: z.record(z.string(), z.number().int().nonnegative()),
  auditEvents: z.number().int().nonnegative(),
  archive: z.object({
    format: z.literal('tar.gz'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
})

export type BackupManifest = z.infer<typeof manifestSchema>

function serviceVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  return String(manifest.version)
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A folder holds an embedded database when PostgreSQL's version file is there. */
export const holdsDatabase = (dataDir: string) => existsSync(join(dataDir, 'PG_VERSION'))

async function appliedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select name from kysely_migration order by timestamp, name`.execute(db)
  return rows.map((row) => row.name)
}

/** Every table of the service's schema with its number of rows: what a restore must find again. */
async function rowCounts(db: Db): Promise<Record<string, number>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db)
  const counts: Record<string, number> = {}
  for (const { name } of tables) {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(db)
    counts[name] = Number(rows[0]?.n ?? 0)
  }
  return counts
}

/**
 * Saves the embedded database in `dataDir` to `file`. Opening it takes the folder's lock, so this is
 * refused while the service runs. The file is written beside its final name and renamed into place,
 * so a backup cut short never leaves a file that looks whole.
 */
export async function backUp(dataDir: string, file: string, now = new Date()): Promise<BackupManifest> {
  if (!holdsDatabase(dataDir)) throw new BackupError(`There is no embedded database in ${dataDir} to back up`)
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose a new file name`)
  if (!existsSync(dirname(resolve(file)))) throw new BackupError(`The folder for ${file} does not exist`)
  const handle = await openDatabase({ kind: 'pglite', dataDir })
  let manifest: BackupManifest
  let archive: Uint8Array
  try {
    const known = await appliedMigrations(handle.db).catch(() => [])
    if (known.length === 0) throw new BackupError(`The database in ${dataDir} has no migrations applied`)
    // Everything written reaches the data files, so the restored copy starts without replaying the log.
    await sql`checkpoint`.execute(handle.db)
    const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(
      handle.db,
    )
    const counts = await rowCounts(handle.db)
    if (!handle.dump) throw new BackupError('Only the embedded database can be backed up this way')
    archive = gzipSync(new Uint8Array(await (await handle.dump()).arrayBuffer()))
    manifest = {
      serviceVersion: serviceVersion(),
      createdAt: now.toISOString(),
      postgresVersion: rows[0]?.v ?? 'unknown',
      migrations: known,
      rows: counts,
      auditEvents: counts.audit_events ?? 0,
      archive: { format: 'tar.gz', bytes: archive.byteLength, sha256: sha256(archive) },
    }
  } finally {
    await handle.close()
  }
  const partial = join(dirname(resolve(file)), `.${basename(file)}.partial-${process.pid}`)
  const fd = openSync(partial, 'wx', 0o600)
  try {
    writeSync(fd, `${MAGIC}\n${JSON.stringify(manifest)}\n`)
    writeSync(fd, archive)
    fsyncSync(fd)
  } catch (error) {
    closeSync(fd)
    rmSync(partial, { force: true })
    throw error
  }
  closeSync(fd)
  renameSync(partial, file)
  return manifest
}

/** Reads a backup file and checks it is whole: its header, its manifest, its archive's size and hash. */
export function readBackup(file: string): { manifest: BackupManifest; archive: Uint8Array } {
  if (!existsSync(file)) throw new BackupError(`There is no file ${file}`)
  const bytes = readFileSync(file)
  const notBackup = `${file} is not a backup of this service`
  const firstEnd = bytes.indexOf(0x0a)
  if (firstEnd < 0 || bytes.subarray(0, firstEnd).toString('utf8') !== MAGIC) throw new BackupError(notBackup)
  const secondEnd = bytes.indexOf(0x0a, firstEnd + 1)
  if (secondEnd < 0 || secondEnd > HEADER_LIMIT) throw new BackupError(`${notBackup}, or it is cut short`)
  let manifest: BackupManifest
  try {
    manifest = manifestSchema.parse(JSON.parse(bytes.subarray(firstEnd + 1, secondEnd).toString('utf8')))
  } catch {
    throw new BackupError(`${file} is damaged: its description of the contents cannot be read`)
  }
  const archive = bytes.subarray(secondEnd + 1)
  if (archive.byteLength !== manifest.archive.bytes) {
    throw new BackupError(
      `${file} is damaged or cut short: it holds ${archive.byteLength} bytes of data where ${manifest.archive.bytes} were saved`,
    )
  }
  if (sha256(archive) !== manifest.archive.sha256) {
    throw new BackupError(`${file} is damaged: its data does not match the checksum saved with it`)
  }
  return { manifest, archive }
}

/** The migrations this version of the service has not got: a backup with any is from a newer one. */
function unknownMigrations(applied: string[]): string[] {
  const known = Object.keys(migrations)
  return applied.filter((name, i) => known[i] !== name)
}

const stamp = (date: Date) => date.toISOString().replace(/[:.]/g, '-')

export type RestoreResult = {
  manifest: BackupManifest
  /** Where the data that was in DATA_DIR now is; null when DATA_DIR held no database. */
  keptAt: string | null
  /** Migrations applied to the restored database because the backup came from an older version. */
  migratedForward: string[]
  /** The audit events of the restored database, their hash chain verified. */
  auditEvents: number
}

/** Opens the restored copy and checks it holds what the backup says, before anything is swapped. */
async function verifyRestored(
  dir: string,
  manifest: BackupManifest,
): Promise<{ migratedForward: string[]; auditEvents: number }> {
  const handle = await openDatabase({ kind: 'pglite', dataDir: dir })
  try {
    const applied = await appliedMigrations(handle.db)
    if (applied.join('\n') !== manifest.migrations.join('\n')) {
      throw new BackupError('The restored database’s migrations are not the ones the backup records')
    }
    const counts = await rowCounts(handle.db)
    const differing = Object.keys({ ...counts, ...manifest.rows }).filter(
      (table) => counts[table] !== manifest.rows[table],
    )
    if (differing.length > 0) {
      throw new BackupError(
        `The restored database’s row counts differ from the backup’s in: ${differing.join(', ')}`,
      )
    }
    // Forward to this version's schema, as the service itself would do at start.
    const migratedForward = await migrate(handle.db)
    const chain = await verifyAuditChain(handle.db)
    if (!chain.ok) {
      throw new BackupError(
        `The restored audit log is broken at event ${chain.brokenAt} (${chain.events} events before it are intact)`,
      )
    }
    return { migratedForward, auditEvents: chain.events }
  } finally {
    await handle.close()
  }
}

/**
 * Replaces the embedded database in `dataDir` with the one saved in `file`. Refused while the
 * service holds the folder. Nothing in `dataDir` is touched until the restored copy has been opened
 * and verified; then the folders are swapped and the old one is kept as
 * `<dataDir>.before-restore-<time>`.
 */
export async function restore(dataDir: string, file: string, now = new Date()): Promise<RestoreResult> {
  const { manifest, archive } = readBackup(file)
  const newer = unknownMigrations(manifest.migrations)
  if (newer.length > 0) {
    throw new BackupError(
      `${file} was made by a newer version of the service (migrations unknown here: ${newer.join(', ')}); restore it with that version`,
    )
  }
  const target = resolve(dataDir)
  const occupied = existsSync(target) && readdirSync(target).length > 0
  // The lock is held from here to the swap: the service cannot start on the folder meanwhile.
  const unlock = occupied ? lockDataDir(target) : () => {}
  const staging = `${target}.restoring-${stamp(now)}`
  const keptAt = occupied ? `${target}.before-restore-${stamp(now)}` : null
  let swapped = false
  try {
    if (existsSync(staging) || (keptAt && existsSync(keptAt))) {
      throw new BackupError(`${staging} or ${keptAt} is in the way: another restore may be running`)
    }
    try {
      const loading = new PGlite({ dataDir: staging, loadDataDir: new Blob([archive]) })
      await loading.waitReady
      await loading.close()
    } catch (error) {
      throw new BackupError(`The backup’s data could not be opened: ${(error as Error).message}`)
    }
    // The archive carries the lock file of the process that made it; that process is gone.
    rmSync(join(staging, 'owner.lock'), { force: true })
    const verified = await verifyRestored(staging, manifest).catch((error) => {
      if (error instanceof BackupError) throw error
      throw new BackupError(`The restored database could not be checked: ${(error as Error).message}`)
    })
    try {
      if (keptAt) renameSync(target, keptAt)
    } catch (error) {
      throw new BackupError(
        `Could not move ${target} aside (a restore renames it, so it cannot be a mount point): ${(error as Error).message}`,
      )
    }
    try {
      renameSync(staging, target)
    } catch (error) {
      if (keptAt) renameSync(keptAt, target)
      throw new BackupError(`Could not put the restored database in place: ${(error as Error).message}`)
    }
    swapped = true
    if (keptAt) rmSync(join(keptAt, 'owner.lock'), { force: true })
    return { manifest, keptAt, ...verified }
  } finally {
    if (!swapped) {
      unlock()
      rmSync(staging, { recursive: true, force: true })
    }
  }
}
