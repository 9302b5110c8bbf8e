import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startServer } from '../../src/main.ts';
import type { HttpServices } from '../../src/http/services-port.ts';
import { openStorageBackend } from '../../src/services/backend.ts';
import { createAccount, createForm, createOrganization } from '../../src/services/index.ts';
import { createTestSchema } from '../support/databases.ts';
import { hasPostgres } from '../support/services.ts';

const postgresUp = await hasPostgres();

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUp)(`a flood at shutdown [${kind}]`, () => {
    it('answers and stores every flood lead still waiting in the over-limit lane when the server stops', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-flood-'));
      const schema = kind === 'postgres' ? await createTestSchema() : undefined;
      const config = loadConfig({
        DATA_DIR: dataDir,
        PORT: '0',
        ...(schema ? { DATABASE_URL: schema.url, SECRET_KEY: 's'.repeat(40) } : {}),
      });
      try {
        // Left alone, over-limit leads would wait a minute for company: only the shutdown can send them now.
        const storage = await openStorageBackend(config, {
          batching: { overLimitWaitMs: 60_000, overLimitMaxDelayMs: 60_000 },
        });
        const organization = await createOrganization(storage, { name: 'Flood group' });
        const account = await createAccount(storage, {
          organizationId: organization.id,
          name: 'Flood',
          siteDomains: ['flood.example'],
        });
        const form = await createForm(storage, account.id, {
          name: 'Contact',
          settings: { frequency: { limit: 2 } },
        });
        let received = 0;
        let allReceived = () => undefined as void;
        const reachedIntake = new Promise<void>((resolve) => (allReceived = resolve));
        const services: HttpServices = {
          ...storage.services,
          ingestLead: (input) => {
            received += 1;
            if (received === 6) allReceived();
            return storage.services.ingestLead(input);
          },
        };
        const server = await startServer(config, {
          logger: false,
          openBackend: async () => ({ ...storage, services }),
        });
        const submit = (n: number) =>
          fetch(`${server.url}/api/v1/forms/${form.public_key}/submissions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: `visitor${n}@example.com`, message: `Lead number ${n}` }),
          });
        // All from this machine's one address: the first two are within the limit of 2, the next four over it.
        expect((await submit(1)).status).toBe(202);
        expect((await submit(2)).status).toBe(202);
        const flood = [3, 4, 5, 6].map(submit);
        await reachedIntake;
        await server.close();
        expect((await Promise.all(flood)).map((response) => response.status)).toEqual([202, 202, 202, 202]);

        const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        try {
          const rows = await db.query<{ status: string; main_check: string | null }>(
            'SELECT status, main_check FROM activities WHERE account_id = $1 ORDER BY received_at',
            [account.id],
          );
          expect(rows).toHaveLength(6);
          expect(rows.filter((row) => row.main_check === 'frequency')).toHaveLength(4);
          expect(rows.filter((row) => row.status === 'quarantined')).toHaveLength(4);
        } finally {
          await db.close();
        }
      } finally {
        await schema?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
