// An exclusive lock on the embedded store's data folder: PGlite has no lock between processes, and two writers silently lose rows.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number | undefined,
  ) {
    super(
      `data folder ${folder} is in use by another LeadGuard process (pid ${pid ?? 'unknown'}); stop it or set DATABASE_URL`,
    );
    this.name = 'DataFolderInUseError';
  }
}

const lockName = 'leadguard.lock';

function readHolder(file: string): number | undefined {
  try {
    return Number.parseInt(readFileSync(file, 'utf8'), 10) || undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a running Node process other than this one (a reused pid of another program does not count). */
function isHeldBy(pid: number | undefined): boolean {
  if (pid === undefined || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    // No /proc (macOS): a live pid is taken as the holder.
    return true;
  }
}

/**
 * Takes the lock or throws DataFolderInUseError; returns the release function.
 * The lock is a file holding the owner's pid, not an mtime lease: PGlite runs synchronously on the main
 * thread (a first initdb takes seconds), so a lease refreshed by a timer would go stale under a live owner.
 * A lock left by a killed process names a dead pid and is taken over.
 */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  const file = join(folder, lockName);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (isHeldBy(holder)) throw new DataFolderInUseError(folder, holder);
      try {
        unlinkSync(file);
      } catch {
        // Another starter removed it first; the next attempt decides.
      }
      continue;
    }
    // Two starters that both removed a dead lock: only the one whose pid stayed in the file goes on.
    if (readHolder(file) !== process.pid) throw new DataFolderInUseError(folder, readHolder(file));
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      if (readHolder(file) === process.pid) unlinkSync(file);
    };
  }
  throw new DataFolderInUseError(folder, readHolder(file));
}
