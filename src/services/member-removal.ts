// Taking a member off an account: never the last owner; the person's sessions lose that account at their next request.
import { deleteMembership, lockMembership } from '../db/repositories/users.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { isUuid } from './auth.ts';
import { nowOf } from './deps.ts';
import type { ActorRef, ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';
import { history } from './members.ts';

/**
 * Removes the user's membership of the account. Roles are read from memberships on every request (authorize), so
 * nothing else needs revoking: the removed person's open sessions get 404 on this account from then on. A user who
 * administers the whole organization keeps their organization-wide access; that grant is not a membership.
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
    if (member.role === 'owner' && member.owners <= 1)
      throw new ServiceError(
        'conflict',
        'This is the last owner of the account. Make someone else owner first, then remove this member.',
      );
    await deleteMembership(tx, userId, accountId);
    await insertHistoryEvents(tx, [
      history(accountId, actor, at, 'member_removed', { userId, role: member.role }),
    ]);
    return true;
  });
}
