// The one server-side role check, password logins and changes, session versions and API keys (random, shown once, stored as sha256).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import {
  findApiKeyByHash,
  findRole,
  findSessionVersion,
  findUserByEmail,
  findUserById,
  insertApiKey,
  listApiKeys as listApiKeyRows,
  listUserAccounts,
  revokeApiKey as revokeApiKeyRow,
  touchApiKey,
  updatePassword,
} from '../db/repositories/users.ts';
import type { RoleName } from '../db/repositories/users.ts';
import { findSessionState, insertEndedSession } from '../db/repositories/sessions.ts';
import type { Principal, Role, Action } from '../http/services-port.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { hashPassword } from './accounts.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { history } from './members.ts';
import { ServiceError } from './errors.ts';

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

/** The version a new session of the user is issued under; undefined for an unknown user. */
export async function findSessionVersionOf(
  deps: Pick<ServiceDeps, 'db'>,
  userId: string,
): Promise<number | undefined> {
  return isUuid(userId) ? findSessionVersion(deps.db, userId) : undefined;
}

/** A session is good while its user exists, it carries the user's current version and it was not signed out. */
export async function isSessionCurrent(
  deps: Pick<ServiceDeps, 'db'>,
  userId: string,
  version: number,
  sessionId: string,
): Promise<boolean> {
  if (!isUuid(userId) || !isUuid(sessionId)) return false;
  const state = await findSessionState(deps.db, userId, sessionId);
  return state !== undefined && !state.ended && state.version === version;
}

/** Records a signed-out session until its cookie expires anyway; records past that are cleared on the way. */
export async function endSession(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  sessionId: string,
  until: Date,
): Promise<void> {
  if (isUuid(sessionId)) await insertEndedSession(deps.db, sessionId, until, nowOf(deps));
}

/**
 * Checks the current password, stores the new one and moves the session version on, which signs out the user's
 * other sessions. Returns the new version for the session that made the change; undefined when the current
 * password is wrong.
 */
export async function changePassword(
  deps: Pick<ServiceDeps, 'db'>,
  userId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<{ sessionVersion: number } | undefined> {
  if (!isUuid(userId)) return undefined;
  const user = await findUserById(deps.db, userId);
  if (!user || !(await verify(user.password_hash, input.currentPassword).catch(() => false)))
    return undefined;
  if (input.newPassword === input.currentPassword)
    throw new ServiceError('invalid_input', 'newPassword: choose a password other than the current one');
  const version = await updatePassword(deps.db, userId, await hashPassword(input.newPassword));
  if (version === undefined) throw new ServiceError('not_found', 'the user no longer exists');
  return { sessionVersion: version };
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

/** The account's live keys, newest last; never the key itself (only its first characters, to recognise it). */
export async function listApiKeys(deps: Pick<ServiceDeps, 'db'>, accountId: string) {
  const rows = await listApiKeyRows(deps.db, accountId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
  }));
}

/** A key made in the panel or API: created and recorded in the account's history together. */
export async function issueApiKey(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  accountId: string,
  input: { name: string; role: RoleName },
  actor: ActorRef,
): Promise<{ id: string; key: string; prefix: string }> {
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    const created = await createApiKey({ db: tx }, { accountId, ...input });
    await insertHistoryEvents(tx, [
      history(accountId, actor, at, 'api_key_created', { keyId: created.id, role: input.role }),
    ]);
    return created;
  });
}

/** A revoked key stops working on its next request (verifyApiKey reads live keys only). */
export async function revokeApiKey(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  accountId: string,
  keyId: string,
  actor: ActorRef,
): Promise<boolean> {
  if (!isUuid(accountId) || !isUuid(keyId)) return false;
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    if (!(await revokeApiKeyRow(tx, accountId, keyId, at))) return false;
    await insertHistoryEvents(tx, [history(accountId, actor, at, 'api_key_revoked', { keyId })]);
    return true;
  });
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
  const organizations = new Map(accounts.map((a) => [a.organization_id, a.organization_name]));
  return {
    user: { id: user.id, email: user.email, name: user.name ?? undefined },
    organizations: [...organizations].map(([id, name]) => ({ id, name })),
    accounts: accounts.map((account) => ({
      id: account.id,
      name: account.name,
      role: account.role as Role,
      organizationId: account.organization_id,
    })),
  };
}
