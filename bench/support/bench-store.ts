// A fresh store for one benchmark run: a PGlite data folder or a PostgreSQL schema, migrated, with one organization, account and form.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import type { Db } from '../../src/db/database.ts';
import { insertWebhookEndpoint } from '../../src/db/repositories/webhook-endpoints.ts';
import { generateWebhookSecret } from '../../src/integrations/webhooks.ts';
import { createAccount, createForm, createOrganization } from '../../src/services/index.ts';
import { createTestSchema } from '../../test/support/databases.ts';

export type StoreKind = 'pglite' | 'postgres';

export const storeNames: Readonly<Record<StoreKind, string>> = {
  pglite: 'PGlite (embedded)',
  postgres: 'PostgreSQL',
};

export interface BenchStore {
  readonly kind: StoreKind;
  /** What a server process needs to open this store. */
  readonly server: { readonly dataDir: string; readonly databaseUrl?: string };
  readonly accountId: string;
  readonly formId: string;
  readonly formKey: string;
  /** Opens the store from this process; PGlite only while no server has its data folder. */
  open(): Promise<Db>;
  /** Removes the data folder or drops the schema. */
  remove(): Promise<void>;
}

/** Creates the store and its account; with `webhookUrl`, the form sends each active lead there (lead.created). */
export async function createBenchStore(
  kind: StoreKind,
  options: { webhookUrl?: string } = {},
): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const open = () => openDatabase({ dataDir, databaseUrl: schema?.url });
  const db = await open();
  try {
    const deps = { db };
    const organization = await createOrganization(deps, { name: 'Bench group' });
    const account = await createAccount(deps, {
      organizationId: organization.id,
      name: 'Bench Motors',
      siteDomains: ['bench.example'],
    });
    const endpointId = randomUUID();
    if (options.webhookUrl)
      await insertWebhookEndpoint(db, {
        id: endpointId,
        account_id: account.id,
        url: options.webhookUrl,
        secret: generateWebhookSecret(),
        events: ['lead.created'],
        enabled: true,
      });
    const form = await createForm(deps, account.id, {
      name: 'Contact',
      crmTargets: options.webhookUrl ? [{ kind: 'webhook', endpointId }] : [],
    });
    return {
      kind,
      server: { dataDir, ...(schema ? { databaseUrl: schema.url } : {}) },
      accountId: account.id,
      formId: form.id,
      formKey: form.public_key,
      open,
      async remove() {
        await schema?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } finally {
    await db.close();
  }
}
