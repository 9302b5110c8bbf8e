import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';

const child = fileURLToPath(new URL('./support/open-data-dir.ts', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'leadguard-lock-'));

function openInChild() {
  return spawnSync(process.execPath, ['--import', 'tsx', child, folder], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the embedded store data folder', () => {
  it('refuses a second process with a message naming the folder and the holder', async () => {
    const db = await openDatabase({ dataDir: folder });
    try {
      const refused = openInChild();
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(
        `data folder ${folder} is in use by another LeadGuard process (pid ${process.pid}); stop it or set DATABASE_URL`,
      );
    } finally {
      await db.close();
    }
    const opened = openInChild();
    expect(opened.stderr).toBe('');
    expect(opened.stdout).toBe('opened\n');
  });

  it('takes over a lock left by a process that was killed', async () => {
    const gone = spawnSync(process.execPath, ['-e', ''], { encoding: 'utf8' });
    writeFileSync(join(folder, 'leadguard.lock'), `${gone.pid}\n`);
    const db = await openDatabase({ dataDir: folder });
    await db.close();
  });

  it('keeps what was written across a reopen', async () => {
    const first = await openDatabase({ dataDir: folder });
    await first.query(
      "INSERT INTO organizations (id, name) VALUES ('00000000-0000-4000-8000-0000000000aa', 'Kept')",
    );
    await first.close();
    const second = await openDatabase({ dataDir: folder });
    const rows = await second.query<{ name: string }>('SELECT name FROM organizations');
    await second.close();
    expect(rows).toEqual([{ name: 'Kept' }]);
  });
});
