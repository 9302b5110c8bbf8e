// A fresh store for one benchmark run: a PGlite data folder or a PostgreSQL schema, migrated, with one organization, account and form.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.ts';
import type { Db } from '../../src/db/database.ts';
import { insertWebhookEndpoint } from '../../src/db/repositories/webhook-endpoints.ts';
import { generateWebhookSecret } from '../../src/integrations/webhooks.ts';
import { createAccount, createFirstOwner, createForm, createOrganization } from '../../src/services/index.ts';
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

async function createPlainAccount(db: Db): Promise<{ id: string }> {
  const organization = await createOrganization({ db }, { name: 'Bench group' });
  return createAccount(
    { db },
    { organizationId: organization.id, name: 'Bench Motors', siteDomains: ['bench.example'] },
  );
}

/** The account through first-run setup, with an owner who can sign in to the panel's API. */
async function createOwner(db: Db, owner: { email: string; password: string }): Promise<{ id: string }> {
  const created = await createFirstOwner(
    { db },
    {
      organizationName: 'Bench group',
      accountName: 'Bench Motors',
      siteDomain: 'bench.example',
      name: 'Bench Owner',
      ...owner,
    },
  );
  if (!created) throw new Error('first-run setup was already done in a fresh store');
  return { id: created.accountId };
}

/** Creates the store and its account; with `webhookUrl`, the form sends each active lead there (lead.created). */
export async function createBenchStore(
  kind: StoreKind,
  options: { webhookUrl?: string; owner?: { email: string; password: string } } = {},
): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadguard-bench-'));
  const schema = kind === 'postgres' ? await createTestSchema() : undefined;
  const open = () => openDatabase({ dataDir, databaseUrl: schema?.url });
  const db = await open();
  try {
    const deps = { db };
    const account = options.owner ? await createOwner(db, options.owner) : await createPlainAccount(db);
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
