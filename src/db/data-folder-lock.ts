// An exclusive lock on the embedded store's data folder: PGlite has no lock between processes, and two writers silently lose rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

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

const ownerFile = 'leadguard.pid';

/** Takes the lock or throws DataFolderInUseError; returns the release function. */
export async function lockDataFolder(folder: string): Promise<() => Promise<void>> {
  let release: () => Promise<void>;
  try {
    // The lock is refreshed every few seconds; one left by a killed process goes stale and is taken over.
    release = await lockfile.lock(folder, {
      lockfilePath: join(folder, 'leadguard.lock'),
      stale: 10_000,
      update: 2_000,
      realpath: false,
      onCompromised: () => undefined,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    let pid: number | undefined;
    try {
      pid = Number.parseInt(readFileSync(join(folder, ownerFile), 'utf8'), 10) || undefined;
    } catch {
      pid = undefined;
    }
    throw new DataFolderInUseError(folder, pid);
  }
  writeFileSync(join(folder, ownerFile), `${process.pid}\n`);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await release().catch(() => undefined);
  };
}
