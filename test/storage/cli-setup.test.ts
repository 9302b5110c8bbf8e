import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { openDatabase } from '../../src/db/database.ts';
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import { authorize, verifyLogin } from '../../src/services/index.ts';

const folder = mkdtempSync(join(tmpdir(), 'leadguard-cli-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    const code = await runCli(['node', 'leadguard', ...args]);
    return { code, out };
  } finally {
    write.mockRestore();
  }
}

describe('leadguard account create and user create', () => {
  it('set up an account, its form and an owner who can sign in', async () => {
    const account = await run([
      'account',
      'create',
      '--name',
      'Main Street Motors',
      '--domain',
      'mainstreet.example',
      '--data-dir',
      folder,
    ]);
    expect(account.code).toBe(0);
    const created = JSON.parse(account.out) as { accountId: string; formKey: string };
    expect(created.formKey).toMatch(/^f_/);
    const user = await run([
      'user',
      'create',
      '--email',
      'Owner@Mainstreet.example',
      '--password',
      'correct horse battery',
      '--account',
      created.accountId,
      '--role',
      'owner',
      '--data-dir',
      folder,
    ]);
    expect(user.code).toBe(0);
    expect(JSON.parse(user.out)).toMatchObject({
      email: 'owner@mainstreet.example',
      role: 'owner',
      created: true,
    });
    const db = await openDatabase({ dataDir: folder });
    try {
      const deps = { db, configCache: new CompiledConfigCache() };
      const login = await verifyLogin(deps, 'owner@mainstreet.example', 'correct horse battery');
      expect(login).toBeDefined();
      expect(
        await authorize(deps, { kind: 'user', userId: login!.userId }, created.accountId, 'manage_account'),
      ).toBe(true);
    } finally {
      await db.close();
    }
  });

  it('refuses a user for an account that does not exist', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const result = await run([
        'user',
        'create',
        '--email',
        'x@mainstreet.example',
        '--password',
        'correct horse battery',
        '--account',
        '00000000-0000-4000-8000-000000000000',
        '--data-dir',
        folder,
      ]);
      expect(result.code).toBe(1);
      expect(String(stderr.mock.calls[0]?.[0])).toContain('no account 00000000-0000-4000-8000-000000000000');
    } finally {
      stderr.mockRestore();
    }
  });
});
