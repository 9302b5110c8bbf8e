// Organizations, accounts, forms, users and memberships: creating tenants and the people who work in them.
import { randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { z } from 'zod';
import { insertAccount, insertForm, insertOrganization } from '../db/repositories/accounts.ts';
import type { FormRow } from '../db/repositories/accounts.ts';
import {
  countUsers,
  findUserByEmail,
  insertOrganizationAdmin,
  insertUser,
  upsertMembership,
} from '../db/repositories/users.ts';
import type { RoleName } from '../db/repositories/users.ts';
import type { Db } from '../db/database.ts';
import { normalizeDomainRule } from '../engine/rule-index.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

export const roles = ['owner', 'admin', 'contact_admin', 'member'] as const;

const nameSchema = z.string().trim().min(1).max(200);
const domainSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .transform((value) => normalizeDomainRule(value))
  .refine((value) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value), 'a domain such as dealer.example');
const emailSchema = z.string().trim().toLowerCase().pipe(z.email()).pipe(z.string().max(254));

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ServiceError('invalid_input', `${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

export async function createOrganization(
  deps: Pick<ServiceDeps, 'db'>,
  input: { name: string },
): Promise<{ id: string }> {
  const id = randomUUID();
  await insertOrganization(deps.db, { id, name: parse(nameSchema, input.name, 'organization name') });
  return { id };
}

export async function createAccount(
  deps: Pick<ServiceDeps, 'db'>,
  input: { organizationId: string; name: string; siteDomains: readonly string[]; retentionDays?: number },
): Promise<{ id: string }> {
  const id = randomUUID();
  await insertAccount(deps.db, {
    id,
    organization_id: input.organizationId,
    name: parse(nameSchema, input.name, 'account name'),
    site_domains: input.siteDomains.map((domain) => parse(domainSchema, domain, 'site domain')),
    retention_days: input.retentionDays,
  });
  return { id };
}

/** A random public key: it is in every page that embeds the form, so it identifies, never authorizes. */
export function createFormKey(): string {
  return `f_${randomBytes(12).toString('base64url')}`;
}

export interface NewForm {
  readonly name: string;
  readonly siteDomains?: readonly string[];
  readonly honeypotField?: string;
  readonly thankYouUrl?: string;
  readonly notificationRecipients?: readonly string[];
  readonly autoresponder?: Record<string, unknown> | null;
  readonly autoresponderEnabled?: boolean;
  readonly settings?: Record<string, unknown>;
  readonly crmTargets?: readonly unknown[];
}

export async function createForm(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  input: NewForm,
): Promise<FormRow & { public_key: string }> {
  const row: FormRow = {
    id: randomUUID(),
    account_id: accountId,
    public_key: createFormKey(),
    name: parse(nameSchema, input.name, 'form name'),
    site_domains: (input.siteDomains ?? []).map((domain) => parse(domainSchema, domain, 'site domain')),
    settings: input.settings ?? {},
    honeypot_field: input.honeypotField ?? 'lg_extra_notes',
    thank_you_url: input.thankYouUrl ?? null,
    notification_recipients: (input.notificationRecipients ?? []).map((email) =>
      parse(emailSchema, email, 'recipient'),
    ),
    autoresponder_enabled: input.autoresponderEnabled ?? false,
    autoresponder: input.autoresponder ?? null,
    crm_targets: [...(input.crmTargets ?? [])],
  };
  await insertForm(deps.db, row);
  return row;
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length < 8 || password.length > 1000)
    throw new ServiceError('invalid_input', 'password: 8 to 1000 characters');
  return hash(password);
}

/** Creates the user; a taken email is a conflict. */
export async function createUser(
  deps: Pick<ServiceDeps, 'db'>,
  input: { email: string; password: string; name?: string },
): Promise<{ id: string; email: string }> {
  const email = parse(emailSchema, input.email, 'email');
  const created = await insertUser(deps.db, {
    id: randomUUID(),
    email,
    password_hash: await hashPassword(input.password),
    name: input.name?.trim() || null,
  });
  if (!created) throw new ServiceError('conflict', `a user with the email ${email} already exists`);
  return { id: created.id, email };
}

export async function addMembership(
  deps: Pick<ServiceDeps, 'db'>,
  input: { userId: string; accountId: string; role: RoleName },
): Promise<void> {
  await upsertMembership(deps.db, input.userId, input.accountId, parse(z.enum(roles), input.role, 'role'));
}

export async function addOrganizationAdmin(
  deps: Pick<ServiceDeps, 'db'>,
  input: { userId: string; organizationId: string },
): Promise<void> {
  await insertOrganizationAdmin(deps.db, input.userId, input.organizationId);
}

export async function needsSetup(deps: Pick<ServiceDeps, 'db'>): Promise<boolean> {
  return (await countUsers(deps.db)) === 0;
}

export interface FirstOwner {
  readonly organizationName: string;
  readonly accountName: string;
  readonly siteDomain: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** First-run setup in one transaction; undefined when a user already exists (setup happens once). */
export async function createFirstOwner(
  deps: Pick<ServiceDeps, 'db'>,
  input: FirstOwner,
): Promise<{ userId: string; accountId: string; organizationId: string } | undefined> {
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx: Db) => {
    // Two first visitors at once: the lock makes the second see the first's user.
    if (tx.kind === 'postgres') await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
    if ((await countUsers(tx)) > 0) return undefined;
    const txDeps = { db: tx };
    const organization = await createOrganization(txDeps, { name: input.organizationName });
    const account = await createAccount(txDeps, {
      organizationId: organization.id,
      name: input.accountName,
      siteDomains: [input.siteDomain],
    });
    const user = await insertUser(tx, {
      id: randomUUID(),
      email: parse(emailSchema, input.email, 'email'),
      password_hash: passwordHash,
      name: input.name.trim() || null,
    });
    if (!user) return undefined;
    await upsertMembership(tx, user.id, account.id, 'owner');
    await insertOrganizationAdmin(tx, user.id, organization.id);
    return { userId: user.id, accountId: account.id, organizationId: organization.id };
  });
}

export { findUserByEmail };
