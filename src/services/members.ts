// Team management: members of an account, new members (new users when needed), sibling accounts, allowlist-only dimensions.
import { createOrderedId } from './ordered-id.ts';
import { randomUUID } from 'node:crypto';
import { findAccountById, updateAccountSettings } from '../db/repositories/accounts.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import type { Db } from '../db/database.ts';
import {
  findRole,
  findUserByEmail,
  insertUser,
  listMembers as listMemberRows,
  lockMembership,
  upsertMembership,
} from '../db/repositories/users.ts';
import type { RoleName } from '../db/repositories/users.ts';
import { ruleDimensions } from '../engine/config.ts';
import type { RuleDimension } from '../engine/config.ts';
import { createAccount, hashPassword, roles } from './accounts.ts';
import { afterConfigChange } from './account-config.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

export async function listMembers(deps: Pick<ServiceDeps, 'db'>, accountId: string) {
  return (await listMemberRows(deps.db, accountId)).map((row) => ({
    userId: row.user_id,
    email: row.email,
    ...(row.name ? { name: row.name } : {}),
    role: row.role,
  }));
}

export function history(
  accountId: string,
  actor: ActorRef,
  at: Date,
  type: string,
  detail: Record<string, unknown>,
) {
  return {
    id: createOrderedId(),
    account_id: accountId,
    contact_id: null,
    activity_id: null,
    type,
    actor_user_id: actor.userId,
    via: actor.via,
    detail,
    at: at.toISOString(),
  };
}

export const onlyOwnersManageOwners =
  "Only an owner can make someone an owner or change or remove an owner. Ask one of the account's owners.";

/**
 * Whether the actor is an owner of the account: only owners hand out or take away ownership, so an admin cannot make
 * themselves or anyone else an owner. API keys never act as owners, and an organization admin counts as admin.
 */
export async function actsAsOwner(db: Db, actor: ActorRef, accountId: string): Promise<boolean> {
  return actor.userId !== null && (await findRole(db, actor.userId, accountId)) === 'owner';
}

export async function addMember(
  deps: ServiceDeps,
  accountId: string,
  member: { email: string; name?: string; password?: string; role: RoleName },
  actor: ActorRef,
) {
  if (!roles.includes(member.role))
    throw new ServiceError('invalid_input', 'role: owner, admin, contact_admin or member');
  const email = member.email.trim().toLowerCase();
  const existing = await findUserByEmail(deps.db, email);
  const passwordHash = existing
    ? undefined
    : member.password
      ? await hashPassword(member.password)
      : undefined;
  if (!existing && !passwordHash)
    throw new ServiceError('invalid_input', 'password: needed to create a user for a new email');
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    const user =
      existing ??
      (await insertUser(tx, {
        id: randomUUID(),
        email,
        password_hash: passwordHash ?? '',
        name: member.name?.trim() || null,
      })) ??
      (await findUserByEmail(tx, email));
    if (!user) throw new ServiceError('conflict', 'the user could not be created');
    const current = await lockMembership(tx, user.id, accountId);
    if ((member.role === 'owner' || current?.role === 'owner') && !(await actsAsOwner(tx, actor, accountId)))
      throw new ServiceError('forbidden', onlyOwnersManageOwners);
    // As with removal, an account always keeps an owner.
    if (member.role !== 'owner' && current?.role === 'owner' && current.owners <= 1)
      throw new ServiceError(
        'conflict',
        'This is the last owner of the account. Make someone else owner first, then change this role.',
      );
    await upsertMembership(tx, user.id, accountId, member.role);
    await insertHistoryEvents(tx, [
      history(accountId, actor, at, 'member_set', { userId: user.id, role: member.role }),
    ]);
    return {
      userId: user.id,
      email: user.email,
      ...(user.name ? { name: user.name } : {}),
      role: member.role,
    };
  });
}

export async function createSiblingAccount(
  deps: ServiceDeps,
  accountId: string,
  input: { name: string; siteDomain: string },
  actor: ActorRef,
) {
  if (!actor.userId) throw new ServiceError('invalid_input', 'only a signed-in user can create an account');
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    const source = await findAccountById(tx, accountId);
    if (!source) throw new ServiceError('not_found', 'the account does not exist');
    const created = await createAccount(
      { db: tx },
      { organizationId: source.organization_id, name: input.name, siteDomains: [input.siteDomain] },
    );
    await upsertMembership(tx, actor.userId as string, created.id, 'owner');
    await insertHistoryEvents(tx, [history(created.id, actor, at, 'account_created', { from: accountId })]);
    return { id: created.id, name: input.name.trim() };
  });
}

export async function getAllowlistOnly(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
): Promise<RuleDimension[]> {
  const account = await findAccountById(deps.db, accountId);
  return (account?.allowlist_only ?? []).filter((d): d is RuleDimension =>
    (ruleDimensions as readonly string[]).includes(d),
  );
}

export async function setAllowlistOnly(
  deps: ServiceDeps,
  accountId: string,
  dimensions: readonly RuleDimension[],
  actor: ActorRef,
): Promise<void> {
  const wanted = [...new Set(dimensions)];
  if (wanted.some((d) => !(ruleDimensions as readonly string[]).includes(d)))
    throw new ServiceError('invalid_input', `dimensions: ${ruleDimensions.join(', ')}`);
  const at = nowOf(deps);
  await afterConfigChange(
    deps,
    [accountId],
    deps.db.transaction(async (tx) => {
      if (!(await updateAccountSettings(tx, accountId, { allowlist_only: wanted })))
        throw new ServiceError('not_found', 'the account does not exist');
      await insertHistoryEvents(tx, [
        history(accountId, actor, at, 'allowlist_only_set', { dimensions: wanted }),
      ]);
    }),
  );
}
