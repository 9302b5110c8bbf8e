// The one server-side role check, password logins and API keys (random, shown once, stored as sha256).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import {
  findApiKeyByHash,
  findRole,
  findUserByEmail,
  findUserById,
  insertApiKey,
  listUserAccounts,
  touchApiKey,
} from '../db/repositories/users.ts';
import type { RoleName } from '../db/repositories/users.ts';
import type { Principal, Role, Action } from '../http/services-port.ts';
import { nowOf } from './deps.ts';
import type { ServiceDeps } from './deps.ts';

export type AuthAction = Action;

const allowed: Readonly<Record<RoleName, readonly Action[]>> = {
  owner: ['read', 'review', 'manage_rules', 'manage_account'],
  admin: ['read', 'review', 'manage_rules', 'manage_account'],
  contact_admin: ['read', 'review', 'manage_rules'],
  member: ['read'],
};

export function roleAllows(role: RoleName | undefined, action: Action): boolean {
  return role !== undefined && allowed[role].includes(action);
}

/** Member reads; contact admin also reviews and edits lists; admin and owner do everything; an organization admin counts as admin on each of its accounts. */
export async function authorize(
  deps: Pick<ServiceDeps, 'db'>,
  principal: Principal,
  accountId: string,
  action: Action,
): Promise<boolean> {
  if (principal.kind === 'api_key')
    return principal.accountId === accountId && roleAllows(principal.role, action);
  if (!isUuid(accountId) || !isUuid(principal.userId)) return false;
  return roleAllows(await findRole(deps.db, principal.userId, accountId), action);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

// A fixed hash to verify against when the email is unknown, so a missing user costs the same time as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function verifyLogin(
  deps: Pick<ServiceDeps, 'db'>,
  email: string,
  password: string,
): Promise<{ userId: string } | undefined> {
  if (email.length > 254 || password.length > 1000) return undefined;
  const user = await findUserByEmail(deps.db, email.trim().toLowerCase());
  if (!user) {
    decoyHash ??= import('@node-rs/argon2').then((argon) => argon.hash('not a password of anyone'));
    await verify(await decoyHash, password).catch(() => false);
    return undefined;
  }
  return (await verify(user.password_hash, password).catch(() => false)) ? { userId: user.id } : undefined;
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** The key is returned here once and never again: only its hash is stored. */
export async function createApiKey(
  deps: Pick<ServiceDeps, 'db'>,
  input: { accountId: string; name: string; role: RoleName },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = `lg_${randomBytes(24).toString('base64url')}`;
  const id = randomUUID();
  const prefix = key.slice(0, 10);
  await insertApiKey(deps.db, {
    id,
    account_id: input.accountId,
    name: input.name.trim().slice(0, 200) || 'API key',
    key_hash: sha256(key).toString('hex'),
    prefix,
    role: input.role,
  });
  return { id, key, prefix };
}

export async function verifyApiKey(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  key: string,
): Promise<Extract<Principal, { kind: 'api_key' }> | undefined> {
  if (key.length < 10 || key.length > 200) return undefined;
  const digest = sha256(key);
  const row = await findApiKeyByHash(deps.db, digest.toString('hex'));
  // The lookup is by hash; comparing again in constant time keeps the check honest even if the index is not exact.
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash, 'hex'), digest)) return undefined;
  const now = nowOf(deps);
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000)
    await touchApiKey(deps.db, row.id, now);
  return { kind: 'api_key', keyId: row.id, accountId: row.account_id, role: row.role as Role };
}

export async function getMe(deps: Pick<ServiceDeps, 'db'>, userId: string) {
  if (!isUuid(userId)) return undefined;
  const user = await findUserById(deps.db, userId);
  if (!user) return undefined;
  const accounts = await listUserAccounts(deps.db, userId);
  return {
    user: { id: user.id, email: user.email, name: user.name ?? undefined },
    accounts: accounts.map((account) => ({ id: account.id, name: account.name, role: account.role as Role })),
  };
}
