// Starts the real server on PGlite or PostgreSQL with its background jobs, and seeds a tenant with a form and API keys per role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/env.ts';
import type { AppConfig } from '../../../src/config/env.ts';
import { startServerJobs } from '../../../src/jobs/server-jobs.ts';
import type { ServerJobs } from '../../../src/jobs/server-jobs.ts';
import { startServer } from '../../../src/main.ts';
import type { RunningServer } from '../../../src/main.ts';
import { openStorageBackend } from '../../../src/services/backend.ts';
import type { StorageBackend } from '../../../src/services/backend.ts';
import { createAccount, createApiKey, createForm, createOrganization } from '../../../src/services/index.ts';
import { createTestSchema } from '../../support/databases.ts';
import type { DatabaseKind } from '../../support/databases.ts';

export interface Tenant {
  readonly accountId: string;
  readonly formId: string;
  readonly formKey: string;
  /** API keys by role. */
  readonly keys: { readonly admin: string; readonly contactAdmin: string; readonly member: string };
}

export interface IntegrationServer {
  readonly url: string;
  readonly config: AppConfig;
  readonly storage: StorageBackend;
  readonly server: RunningServer;
  /** The background jobs, when started with `jobs: true`. */
  readonly jobs: ServerJobs | undefined;
  seedTenant(name: string, form?: { notificationRecipients?: string[] }): Promise<Tenant>;
  /** Takes in an ordinary lead through the tenant's form (a person's timing, a valid token); returns its id. */
  ingestHamLead(tenant: Tenant, person: { name: string; email: string; message: string }): Promise<string>;
  stop(): Promise<void>;
}

export async function startIntegrationServer(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  options: { readonly jobs?: boolean } = {},
): Promise<IntegrationServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-integration-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    SECRET_KEY: 'integration-secret-0123456789abcdef0123',
    ...(schema ? { DATABASE_URL: schema.url } : {}),
    ...env,
  });
  const storage = await openStorageBackend(config);
  let jobs: ServerJobs | undefined;
  const server = await startServer(config, {
    logger: false,
    openBackend: async () => ({
      ...storage,
      ...(options.jobs
        ? {
            startJobs: async (log) =>
              (jobs = await startServerJobs({ config, db: storage.db, log, pollMs: 50 })),
          }
        : {}),
    }),
  });
  const deps = { db: storage.db };
  return {
    url: server.url,
    config,
    storage,
    server,
    jobs,
    async seedTenant(name, form = {}) {
      const organization = await createOrganization(deps, { name: `${name} group` });
      const account = await createAccount(deps, {
        organizationId: organization.id,
        name,
        siteDomains: [`${name.toLowerCase()}.example`],
      });
      const created = await createForm(deps, account.id, {
        name: 'Contact',
        notificationRecipients: form.notificationRecipients,
      });
      const key = async (role: 'admin' | 'contact_admin' | 'member') =>
        (await createApiKey(deps, { accountId: account.id, name: role, role })).key;
      return {
        accountId: account.id,
        formId: created.id,
        formKey: created.public_key,
        keys: {
          admin: await key('admin'),
          contactAdmin: await key('contact_admin'),
          member: await key('member'),
        },
      };
    },
    async ingestHamLead(tenant, person) {
      const form = await storage.services.findPublicForm(tenant.formKey);
      if (!form) throw new Error('seeded form missing');
      const result = await storage.services.ingestLead({
        form,
        lead: {
          channel: 'form',
          ...person,
          renderToken: storage.issueRenderToken(tenant.formKey, Date.now() - 60_000),
        },
        facts: { ipCount: 1 },
        receivedAt: new Date(),
      });
      if (result.verdict.outcome !== 'ham')
        throw new Error(`expected a ham lead, got ${result.verdict.outcome}`);
      return result.activityId;
    },
    async stop() {
      await server.close();
      await schema?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
