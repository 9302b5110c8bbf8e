// `leadguard account create`: an organization (or an existing one), an account with its site domains, and a first form.
import type { Command } from 'commander';
import { CompiledConfigCache } from '../../engine/compile.ts';
import { createAccount, createForm, createOrganization } from '../../services/index.ts';
import { openStoreForCli } from './open-store.ts';

interface AccountCreateOptions {
  name: string;
  domain: string[];
  organization?: string;
  formName: string;
  dataDir?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerAccount(program: Command): void {
  const account = program.command('account').description('manage accounts (tenants)');
  account
    .command('create')
    .description('create an account with a first form; prints its ids and the form key as JSON')
    .requiredOption('--name <name>', 'account name, e.g. "Main Street Motors"')
    .requiredOption('--domain <domain>', "the account's site domain (repeat for several)", collect, [])
    .option(
      '--organization <id>',
      'add it to this organization instead of creating one named like the account',
    )
    .option('--form-name <name>', 'name of the first form', 'Website form')
    .option(
      '--data-dir <folder>',
      'embedded store folder (default: DATA_DIR or ./data; ignored with DATABASE_URL)',
    )
    .action(async (opts: AccountCreateOptions) => {
      const db = await openStoreForCli(opts);
      try {
        const result = await db.transaction(async (tx) => {
          const deps = { db: tx, configCache: new CompiledConfigCache() };
          const organizationId =
            opts.organization ?? (await createOrganization(deps, { name: opts.name })).id;
          const created = await createAccount(deps, {
            organizationId,
            name: opts.name,
            siteDomains: opts.domain,
          });
          const form = await createForm(deps, created.id, { name: opts.formName });
          return { organizationId, accountId: created.id, formId: form.id, formKey: form.public_key };
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } finally {
        await db.close();
      }
    });
}
