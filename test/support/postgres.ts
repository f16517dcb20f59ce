import { execFile } from 'node:child_process'
import {
  accessSync,
  chownSync,
  constants,
  existsSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs'
import { readFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

// A throwaway PostgreSQL server for the test runner (and benchmarks): its own cluster in a temp
// folder, reachable only on 127.0.0.1, trusting every local connection, gone after stop().

export type PostgresServer = { url: string; version: string; stop: () => Promise<void> }

type RunAs = { uid: number; gid: number } | undefined

const exec = promisify(execFile)
const debianRoot = '/usr/lib/postgresql'
const commandTimeoutMs = 90_000
// The C locale exists on every machine, whatever locales it has installed, and sorts the same on each.
const initdbOptions = ['-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

// Debian keeps the server binaries off PATH, one folder per major version; newest first.
function debianBinDirs(): string[] {
  if (!existsSync(debianRoot)) return []
  return readdirSync(debianRoot)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(debianRoot, version, 'bin'))
}

/** The folder holding initdb and pg_ctl of one installation, or null when there is none. */
export function findPostgresBinDir(): string | null {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...debianBinDirs()]
  for (const dir of candidates) {
    const pgCtl = join(dir, 'pg_ctl')
    if (!isExecutable(pgCtl)) continue
    // A pg_ctl on PATH is often a link into the real installation; initdb must come from the same one.
    const realDir = dirname(realpathSync(pgCtl))
    if (isExecutable(join(realDir, 'initdb'))) return realDir
  }
  return null
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const uid = await exec('id', ['-u', name])
  const gid = await exec('id', ['-g', name])
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

// initdb and postgres refuse to run as root, so root hands the server to an unprivileged user.
async function unprivilegedUser(): Promise<RunAs> {
  if (process.getuid?.() !== 0) return undefined
  try {
    return await userIds('nobody')
  } catch {
    const name = 'adoption-support-pg'
    await exec('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name])
    return userIds(name)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function runner(binDir: string, cwd: string, runAs: RunAs) {
  // The server's own PG* settings from the caller's shell must not redirect it elsewhere.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')))
  return (command: string, args: string[]) =>
    exec(join(binDir, command), args, { cwd, env, timeout: commandTimeoutMs, ...runAs })
}

function describeFailure(error: unknown, log: string): Error {
  const output = error as { stderr?: string; message?: string }
  const detail = [output.stderr?.trim() || output.message, log.trim()].filter(Boolean).join('\n')
  return new Error(`PostgreSQL did not start:\n${detail}`)
}

/**
 * Starts a fresh PostgreSQL cluster on a free port; null when no server binaries are installed.
 * Throws when they are installed but the server would not start.
 */
export async function startPostgres(): Promise<PostgresServer | null> {
  const binDir = findPostgresBinDir()
  if (!binDir) return null
  const runAs = await unprivilegedUser()
  const base = mkdtempSync(join(tmpdir(), 'adoption-support-pg-'))
  if (runAs) chownSync(base, runAs.uid, runAs.gid)
  const dataDir = join(base, 'data')
  const logFile = join(base, 'server.log')
  const pg = runner(binDir, base, runAs)
  const removeFolder = () => rmSync(base, { recursive: true, force: true })
  const stopServer = () => pg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])

  try {
    const { stdout } = await pg('pg_ctl', ['--version'])
    const version = /\(PostgreSQL\)\s+(\S+)/.exec(stdout)?.[1] ?? stdout.trim()
    await pg('initdb', ['-D', dataDir, ...initdbOptions])
    const port = await freePort()
    const settings = `-p ${port} -k '${base}' -c listen_addresses=127.0.0.1 -c fsync=off`
    try {
      await pg('pg_ctl', ['-D', dataDir, '-l', logFile, '-o', settings, '-w', '-t', '60', 'start'])
    } catch (error) {
      throw describeFailure(error, await readFile(logFile, 'utf8').catch(() => ''))
    }
    let stopping: Promise<void> | undefined
    const stop = () => {
      stopping ??= stopServer().then(removeFolder, removeFolder)
      return stopping
    }
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, version, stop }
  } catch (error) {
    // pg_ctl may give up waiting on a server that goes on starting; it must not outlive its folder.
    if (existsSync(join(dataDir, 'postmaster.pid'))) await stopServer().catch(() => {})
    removeFolder()
    throw error
  }
}

/** The version a PostgreSQL server reports, e.g. "15.18". */
export async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 })
  await client.connect()
  try {
    const { rows } = await client.query<{ version: string }>(
      "select current_setting('server_version') as version",
    )
    return rows[0]?.version.split(' ')[0] ?? 'unknown'
  } finally {
    await client.end()
  }
}
