import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env.ts';
import { startServer } from '../../src/main.ts';
import type { RunningServer } from '../../src/main.ts';
import { openStorageBackend } from '../../src/services/backend.ts';
import type { StorageBackend } from '../../src/services/backend.ts';
import { createAccount, createApiKey, createForm, createOrganization } from '../../src/services/index.ts';
import { createTestSchema } from '../support/databases.ts';
import { hasPostgres, hasRedis, redisUrl } from '../support/services.ts';

const ready = (await hasPostgres()) && (await hasRedis());

describe.skipIf(!ready)('two instances over one PostgreSQL and one Redis', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  const servers: RunningServer[] = [];
  const storages: StorageBackend[] = [];
  let formKey = '';
  let accountId = '';
  let apiKey = '';

  beforeAll(async () => {
    schema = await createTestSchema();
    for (let i = 0; i < 2; i += 1) {
      const config = loadConfig({
        DATA_DIR: mkdtempSync(join(tmpdir(), 'leadguard-scale-')),
        PORT: '0',
        DATABASE_URL: schema.url,
        REDIS_URL: redisUrl,
        SECRET_KEY: 'shared-secret-of-at-least-32-characters',
      });
      const storage = await openStorageBackend(config);
      storages.push(storage);
      servers.push(await startServer(config, { logger: false, openBackend: async () => storage }));
    }
    const deps = { db: (storages[0] as StorageBackend).db };
    const organization = await createOrganization(deps, { name: 'Scale group' });
    const account = await createAccount(deps, {
      organizationId: organization.id,
      name: 'Scale',
      siteDomains: ['scale.example'],
    });
    accountId = account.id;
    formKey = (await createForm(deps, account.id, { name: 'Contact' })).public_key;
    apiKey = (await createApiKey(deps, { accountId, name: 'test', role: 'contact_admin' })).key;
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await schema?.drop();
  });

  it('count one IP across both, so the 301st lead in five minutes is quarantined whichever takes it', async () => {
    for (let i = 0; i < 301; i += 1) {
      const server = servers[i % 2] as RunningServer;
      const response = await fetch(`${server.url}/api/v1/forms/${formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Sam Lee',
          email: `sam${i}@example.com`,
          message: 'Please call me about the car',
        }),
      });
      expect(response.status).toBe(202);
    }
    const read = (path: string) =>
      fetch(`${(servers[1] as RunningServer).url}/api/v1/accounts/${accountId}${path}`, {
        headers: { authorization: `Bearer ${apiKey}` },
      }).then((response) => response.json());
    expect((await read('/quarantine/count')).count).toBe(1);
    const quarantined = (await read('/leads?view=quarantine')).items as {
      email: string;
      mainCheck: string;
    }[];
    expect(quarantined.map((lead) => [lead.email, lead.mainCheck])).toEqual([
      ['sam300@example.com', 'frequency'],
    ]);
    const health = await fetch(`${(servers[0] as RunningServer).url}/health`).then((response) =>
      response.json(),
    );
    expect(health).toEqual({ status: 'ok', database: 'ok', redis: 'ok' });
  });
});
