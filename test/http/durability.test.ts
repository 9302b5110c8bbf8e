import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataFolderInUseError } from '../../src/db/data-folder-lock.ts';
import { openDatabase } from '../../src/db/database.ts';
import { createTestSchema } from '../support/databases.ts';
import { hasPostgres } from '../support/services.ts';

const postgresUp = await hasPostgres();
const script = fileURLToPath(new URL('./support/serve-process.ts', import.meta.url));

function startChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; formKey: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      const ready = JSON.parse(line) as { url: string; formKey: string };
      resolve({ child, ...ready });
    });
  });
}

/** Posts leads from `workers` loops until the server dies; returns the refs that got a 2xx. */
async function loadUntilKilled(
  url: string,
  formKey: string,
  child: ChildProcess,
  killAfter: number,
): Promise<string[]> {
  const accepted: string[] = [];
  let dead = false;
  const died = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const worker = async (id: number) => {
    for (let i = 0; !dead; i += 1) {
      const ref = `w${id}-${i}`;
      try {
        const response = await fetch(`${url}/api/v1/forms/${formKey}/submissions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: `lead${i}@example.com`, message: 'Please call me back', ref }),
        });
        if (response.status === 202) accepted.push(ref);
        if (accepted.length >= killAfter && !child.killed) child.kill('SIGKILL');
      } catch {
        dead = true;
      }
    }
  };
  await Promise.all([...Array.from({ length: 20 }, (_, id) => worker(id)), died.then(() => (dead = true))]);
  return accepted;
}

/** Opens the store again; the killed process's data-folder lock is only taken over once it has gone stale. */
async function reopen(open: () => ReturnType<typeof openDatabase>): ReturnType<typeof openDatabase> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await open();
    } catch (error) {
      if (!(error instanceof DataFolderInUseError) || attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function storedRefs(open: () => ReturnType<typeof openDatabase>): Promise<string[]> {
  const db = await reopen(open);
  try {
    const rows = await db.query<{ ref: string | null }>(`SELECT fields->>'ref' AS ref FROM activities`);
    return rows.map((row) => row.ref ?? '');
  } finally {
    await db.close();
  }
}

describe('every lead that got a 2xx survives SIGKILL', () => {
  it('on PGlite', { timeout: 90_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-kill-'));
    try {
      const { child, url, formKey } = await startChild({ DATA_DIR: dataDir });
      const accepted = await loadUntilKilled(url, formKey, child, 300);
      expect(accepted.length).toBeGreaterThanOrEqual(300);
      const stored = await storedRefs(() => openDatabase({ dataDir }));
      expect(stored.filter((ref) => accepted.includes(ref))).toHaveLength(accepted.length);
      expect(new Set(stored).size).toBe(stored.length);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.skipIf(!postgresUp)('on PostgreSQL', { timeout: 90_000 }, async () => {
    const schema = await createTestSchema();
    try {
      const { child, url, formKey } = await startChild({
        DATABASE_URL: schema.url,
        SECRET_KEY: 'k'.repeat(40),
        DATA_DIR: tmpdir(),
      });
      const accepted = await loadUntilKilled(url, formKey, child, 500);
      expect(accepted.length).toBeGreaterThanOrEqual(500);
      const stored = await storedRefs(() => openDatabase({ databaseUrl: schema.url }));
      expect(stored.filter((ref) => accepted.includes(ref))).toHaveLength(accepted.length);
      expect(new Set(stored).size).toBe(stored.length);
    } finally {
      await schema.drop();
    }
  });
});
