// Starts the real server (storage backend, PGlite in a temp folder or PostgreSQL in a fresh schema) and seeds an account for HTTP tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/env.ts';
import { startServer } from '../../../src/main.ts';
import type { RunningServer } from '../../../src/main.ts';
import {
  addMembership,
  createAccount,
  createApiKey,
  createForm,
  createOrganization,
  createUser,
} from '../../../src/services/index.ts';
import { openStorageBackend } from '../../../src/services/backend.ts';
import type { StorageBackend } from '../../../src/services/backend.ts';
import { createTestSchema } from '../../support/databases.ts';
import type { DatabaseKind } from '../../support/databases.ts';

export interface SeededTenant {
  readonly accountId: string;
  readonly formKey: string;
  readonly apiKey: string;
  readonly email: string;
  readonly password: string;
}

export interface RealServer {
  readonly server: RunningServer;
  readonly storage: StorageBackend;
  seedTenant(name: string, role?: 'owner' | 'contact_admin' | 'member'): Promise<SeededTenant>;
  stop(): Promise<void>;
}

export async function startRealServer(kind: DatabaseKind): Promise<RealServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-real-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    ...(schema ? { DATABASE_URL: schema.url, SECRET_KEY: 's'.repeat(40) } : {}),
  });
  const storage = await openStorageBackend(config);
  const server = await startServer(config, { logger: false, openBackend: async () => storage });
  const deps = { db: storage.db };
  let users = 0;
  return {
    server,
    storage,
    async seedTenant(name, role = 'owner') {
      const organization = await createOrganization(deps, { name: `${name} group` });
      const account = await createAccount(deps, {
        organizationId: organization.id,
        name,
        siteDomains: [`${name.toLowerCase()}.example`],
      });
      const form = await createForm(deps, account.id, {
        name: 'Contact',
        thankYouUrl: `https://${name.toLowerCase()}.example/thanks`,
      });
      users += 1;
      const email = `user${users}@${name.toLowerCase()}.example`;
      const password = 'correct horse battery';
      const user = await createUser(deps, { email, password });
      await addMembership(deps, { userId: user.id, accountId: account.id, role });
      const key = await createApiKey(deps, { accountId: account.id, name: 'test', role: 'contact_admin' });
      return { accountId: account.id, formKey: form.public_key, apiKey: key.key, email, password };
    },
    async stop() {
      await server.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
