// A server in its own process for the SIGKILL test: real storage from DATA_DIR or DATABASE_URL; prints {url, formKey, accountId} once listening.
import { loadConfig } from '../../../src/config/env.ts';
import { startServer } from '../../../src/main.ts';
import { openStorageBackend } from '../../../src/services/backend.ts';
import { createAccount, createForm, createOrganization } from '../../../src/services/index.ts';

const config = loadConfig();
const storage = await openStorageBackend(config);
let formKey = process.env.FORM_KEY ?? '';
if (!formKey) {
  const deps = { db: storage.db };
  const organization = await createOrganization(deps, { name: 'Durable group' });
  const account = await createAccount(deps, {
    organizationId: organization.id,
    name: 'Durable',
    siteDomains: ['durable.example'],
  });
  formKey = (await createForm(deps, account.id, { name: 'Contact' })).public_key;
}
const server = await startServer(config, { logger: false, openBackend: async () => storage });
process.stdout.write(`${JSON.stringify({ url: server.url, formKey })}\n`);
