import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'

// The embedded database is a folder of files that only one process may open: a second process
// writing to it would corrupt it. The owner writes its process id to a lock file; anyone else who
// finds a living owner is refused, with a message saying what to do.

export class DatabaseBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true })
  const lockFile = join(dataDir, 'owner.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => rmSync(lockFile, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10)
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseBusyError(
          `The embedded database in ${dataDir} is in use by another process (pid ${owner}), ` +
            'probably the running service. Stop it first, then run this command again.',
        )
      }
      // The previous owner died without tidying up: its lock means nothing now.
      rmSync(lockFile, { force: true })
    }
  }
  throw new DatabaseBusyError(`Could not take the lock on the embedded database in ${dataDir}`)
}
