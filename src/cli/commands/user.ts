// `leadguard user create`: a user (argon2 password) with a role on an account, for scripting the first setup.
import type { Command } from 'commander';
import { findAccountById } from '../../db/repositories/accounts.ts';
import { findUserByEmail } from '../../db/repositories/users.ts';
import { isUuid } from '../../services/auth.ts';
import { addMembership, createUser } from '../../services/index.ts';
import { openStoreForCli } from './open-store.ts';

const roleNames = ['owner', 'admin', 'contact_admin', 'member'] as const;
type RoleName = (typeof roleNames)[number];

interface UserCreateOptions {
  email: string;
  password?: string;
  passwordStdin?: boolean;
  account: string;
  role: string;
  name?: string;
  dataDir?: string;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage users');
  user
    .command('create')
    .description('create a user with a role on an account (an existing user just gets the role); prints JSON')
    .requiredOption('--email <email>', 'sign-in email')
    .option(
      '--password <password>',
      'password, 8+ characters (visible to other local users: prefer --password-stdin)',
    )
    .option('--password-stdin', 'read the password from standard input')
    .requiredOption('--account <id>', 'account id (from `leadguard account create`)')
    .option('--role <role>', `one of ${roleNames.join(', ')}`, 'owner')
    .option('--name <name>', 'display name')
    .option(
      '--data-dir <folder>',
      'embedded store folder (default: DATA_DIR or ./data; ignored with DATABASE_URL)',
    )
    .action(async (opts: UserCreateOptions) => {
      if (!(roleNames as readonly string[]).includes(opts.role))
        throw new Error(`--role must be one of ${roleNames.join(', ')}`);
      const password = opts.passwordStdin ? await readStdin() : opts.password;
      const db = await openStoreForCli(opts);
      try {
        const deps = { db };
        if (!isUuid(opts.account) || !(await findAccountById(db, opts.account)))
          throw new Error(`no account ${opts.account}: create one with \`leadguard account create\``);
        const existing = await findUserByEmail(db, opts.email.trim().toLowerCase());
        if (!existing && !password)
          throw new Error('--password or --password-stdin is needed for a new user');
        const userId =
          existing?.id ??
          (await createUser(deps, { email: opts.email, password: password ?? '', name: opts.name })).id;
        await addMembership(deps, { userId, accountId: opts.account, role: opts.role as RoleName });
        process.stdout.write(
          `${JSON.stringify({ userId, email: opts.email.trim().toLowerCase(), accountId: opts.account, role: opts.role, created: !existing }, null, 2)}\n`,
        );
      } finally {
        await db.close();
      }
    });
}
