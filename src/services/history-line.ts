// One history line as the services write it: who (user or none), how (panel, API, email link, system), when, and why.
import type { HistoryEventRow } from '../db/repositories/history.ts';
import type { ActorRef } from './deps.ts';
import { createOrderedId } from './ordered-id.ts';

export function historyLine(
  accountId: string,
  contactId: string | null,
  activityId: string | null,
  type: string,
  actor: ActorRef,
  at: Date,
  detail: Record<string, unknown> = {},
): HistoryEventRow {
  return {
    id: createOrderedId(),
    account_id: accountId,
    contact_id: contactId,
    activity_id: activityId,
    type,
    actor_user_id: actor.userId,
    via: actor.via,
    detail,
    at: at.toISOString(),
  };
}
