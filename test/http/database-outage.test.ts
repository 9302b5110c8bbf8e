// PostgreSQL going away under load: intake answers a clear 503 while it is gone, recovers by itself, and stores every 2xx lead exactly once.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { startServer } from '../../src/main.ts';
import type { RunningServer } from '../../src/main.ts';
import { openStorageBackend } from '../../src/services/backend.ts';
import { createAccount, createForm, createOrganization } from '../../src/services/index.ts';
import { createTestSchema } from '../support/databases.ts';
import { hasPostgres, postgresUrl } from '../support/services.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

const postgresUp = await hasPostgres();

interface Answer {
  readonly ref: string;
  readonly status: number;
  readonly body: string;
}

/** Posts leads from a few loops until stopped; every answer is kept with the lead's ref. */
function startLoad(url: string, formKey: string, loops = 6) {
  const answers: Answer[] = [];
  const waiters = new Set<() => void>();
  let running = true;
  const loop = async (id: number) => {
    for (let i = 0; running; i += 1) {
      const ref = `l${id}-${i}`;
      const response = await fetch(`${url}/api/v1/forms/${formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `lead${id}.${i}@example.com`, message: 'Please call me back', ref }),
      });
      answers.push({ ref, status: response.status, body: await response.text() });
      for (const wake of waiters) wake();
    }
  };
  const done = Promise.all(Array.from({ length: loops }, (_, id) => loop(id)));
  return {
    answers,
    accepted: () => answers.filter((a) => a.status >= 200 && a.status < 300).length,
    /** Resolves once `test` holds for the answers so far (checked after each answer, never on a timer). */
    until(test: (all: readonly Answer[]) => boolean): Promise<void> {
      return new Promise((resolve) => {
        const wake = () => {
          if (!test(answers)) return;
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        wake();
      });
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

describe.skipIf(!postgresUp)('intake while PostgreSQL goes away', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let proxy: TcpProxy;
  let server: RunningServer;
  let formKey: string;
  // Our own connections are named, so terminating them disturbs no one else's tests on the same server.
  const applicationName = `leadguard-outage-${randomBytes(4).toString('hex')}`;

  const admin = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    schema = await createTestSchema();
    const direct = new URL(postgresUrl);
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const proxied = new URL(schema.url);
    proxied.host = `127.0.0.1:${proxy.port}`;
    proxied.searchParams.set('application_name', applicationName);
    const config = loadConfig({
      DATABASE_URL: proxied.toString(),
      SECRET_KEY: 'o'.repeat(40),
      DATA_DIR: tmpdir(),
      PORT: '0',
    });
    const storage = await openStorageBackend(config);
    const deps = { db: storage.db };
    const organization = await createOrganization(deps, { name: 'Outage group' });
    const account = await createAccount(deps, {
      organizationId: organization.id,
      name: 'Outage',
      siteDomains: ['outage.example'],
    });
    formKey = (await createForm(deps, account.id, { name: 'Contact' })).public_key;
    server = await startServer(config, { logger: false, openBackend: async () => storage });
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await schema?.drop();
  });

  it(
    'answers 503 while the database is gone, recovers by itself, and keeps every 2xx lead once',
    { timeout: 120_000 },
    async () => {
      const load = startLoad(server.url, formKey);
      try {
        await load.until(() => load.accepted() >= 100);

        // The server kills our sessions (what a restart does to them) while leads are in flight.
        // Pids first, then only those: in one query the planner may call the function before the filter.
        const ours = await admin<{ pid: number }>(
          'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        expect(ours.length).toBeGreaterThan(0);
        await admin('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [
          ours.map((o) => o.pid),
        ]);
        const afterKill = load.accepted();
        await load.until(() => load.accepted() >= afterKill + 100);

        // The server is gone: open connections are reset and new ones refused.
        await proxy.cut();
        const cutAt = load.answers.length;
        await load.until((all) => all.slice(cutAt).filter((a) => a.status === 503).length >= 100);
        const duringOutage = load.answers.slice(cutAt);
        await proxy.restore();

        // No restart of LeadGuard: it takes leads again once the database answers.
        const restoredAt = load.answers.length;
        await load.until((all) => all.slice(restoredAt).filter((a) => a.status === 202).length >= 100);

        expect(duringOutage.filter((a) => a.status === 503).length).toBeGreaterThanOrEqual(100);
      } finally {
        await load.stop();
      }

      const statuses = new Set(load.answers.map((a) => a.status));
      expect([...statuses].sort()).toEqual([202, 503]);
      for (const refused of load.answers.filter((a) => a.status === 503)) {
        const body = JSON.parse(refused.body) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('unavailable');
        expect(body.error.message).not.toMatch(/ECONN|terminat|at .*\.ts/);
      }

      const stored = await admin<{ ref: string }>(`SELECT fields->>'ref' AS ref FROM activities`);
      const refs = stored.map((row) => row.ref);
      expect(new Set(refs).size).toBe(refs.length);
      const storedRefs = new Set(refs);
      const accepted = load.answers.filter((a) => a.status === 202).map((a) => a.ref);
      expect(accepted.filter((ref) => !storedRefs.has(ref))).toEqual([]);
    },
  );
});
