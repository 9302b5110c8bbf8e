// Taking a member off an account: never the last owner; the person's sessions lose that account at their next request.
import { deleteMembership, isOrganizationAdminOf, lockMembership } from '../db/repositories/users.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { isUuid } from './auth.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { actsAsOwner, history, onlyOwnersManageOwners } from './members.ts';

/**
 * Removes the user's membership of the account. Roles are read from memberships on every request (authorize), so
 * nothing else needs revoking: the removed person's open sessions get 404 on this account from then on. Only an
 * owner removes an owner. A user who administers the whole organization is refused (409): that grant is not a
 * membership, so removal would leave them admin of this account while the team page no longer lists them.
 */
export async function removeMember(
  deps: Pick<ServiceDeps, 'db' | 'now'>,
  accountId: string,
  userId: string,
  actor: ActorRef,
): Promise<boolean> {
  if (!isUuid(accountId) || !isUuid(userId)) return false;
  const at = nowOf(deps);
  return deps.db.transaction(async (tx) => {
    const member = await lockMembership(tx, userId, accountId);
    if (!member) return false;
    if (member.role === 'owner' && !(await actsAsOwner(tx, actor, accountId)))
      throw new ServiceError('forbidden', onlyOwnersManageOwners);
    if (member.role === 'owner' && member.owners <= 1)
      throw new ServiceError(
        'conflict',
        'This is the last owner of the account. Make someone else owner first, then remove this member.',
      );
    if (await isOrganizationAdminOf(tx, userId, accountId))
      throw new ServiceError(
        'conflict',
        'This person administers the whole organization, so removing them here would not take away their access: they would still be admin of this account. To limit what they can do here, give them a lower role instead.',
      );
    await deleteMembership(tx, userId, accountId);
    await insertHistoryEvents(tx, [
      history(accountId, actor, at, 'member_removed', { userId, role: member.role }),
    ]);
    return true;
  });
}
