// What marking a lead spam, releasing or deleting it adds to the outbox: called inside the review service's transaction.
import { createHash } from 'node:crypto';
import { isWebhookEvent } from '../integrations/webhooks.ts';
import type { WebhookEvent } from '../integrations/webhooks.ts';
import type { LeadEventData } from './messages.ts';
import { cancelPendingForLead, enqueueDeliveries, wasExported } from './delivery-repository.ts';
import type { NewDelivery, SqlClient } from './delivery-repository.ts';

/** Deterministic key: the same lead, endpoint, event and occurrence always give the same key, so enqueueing twice adds nothing. */
export function deliveryKey(...parts: readonly string[]): string {
  return `msg_${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
}

export type { LeadEventData } from './messages.ts';

/** The account's enabled endpoints subscribed to `event` (webhook_endpoints.events). */
export async function findSubscribedEndpoints(
  tx: SqlClient,
  accountId: string,
  event: WebhookEvent,
): Promise<string[]> {
  const rows = await tx.query<{ id: string; events: string[] }>(
    'SELECT id, events FROM webhook_endpoints WHERE account_id = $1 AND enabled ORDER BY created_at, id',
    [accountId],
  );
  return rows.filter((row) => row.events.filter(isWebhookEvent).includes(event)).map((row) => String(row.id));
}

function lifecycleWebhooks(input: {
  readonly accountId: string;
  readonly activityId: string;
  readonly endpointIds: readonly string[];
  readonly event: WebhookEvent;
  readonly data: LeadEventData;
  readonly now: Date;
}): NewDelivery[] {
  return input.endpointIds.map((endpointId) => ({
    accountId: input.accountId,
    activityId: input.activityId,
    kind: 'webhook' as const,
    target: endpointId,
    payload: { endpointId, event: input.event, occurredAt: input.now.toISOString(), data: input.data },
    notBefore: input.now,
    // The time is part of the key: a lead can be marked spam, released and marked spam again.
    idempotencyKey: deliveryKey(input.activityId, endpointId, input.event, input.now.toISOString()),
  }));
}

export interface LeadEventInput {
  readonly accountId: string;
  readonly activityId: string;
  readonly data: LeadEventData;
  readonly now: Date;
}

/**
 * A lead marked spam: what it has not sent yet is cancelled (the hold window at work); if a CRM
 * export or lead.created webhook already went out, `lead.marked_spam` tells the subscribed
 * endpoints so the receiving system can act. Call it in the transaction that quarantines the lead.
 */
export async function onLeadMarkedSpam(
  tx: SqlClient,
  input: LeadEventInput,
): Promise<{ cancelled: number; notified: number }> {
  const cancelled = await cancelPendingForLead(
    tx,
    input.accountId,
    input.activityId,
    'lead marked spam before sending',
  );
  if (!(await wasExported(tx, input.accountId, input.activityId))) return { cancelled, notified: 0 };
  const endpointIds = await findSubscribedEndpoints(tx, input.accountId, 'lead.marked_spam');
  const notified = await enqueueDeliveries(
    tx,
    lifecycleWebhooks({ ...input, endpointIds, event: 'lead.marked_spam' }),
    input.now,
  );
  return { cancelled, notified };
}

/**
 * `lead.released` or `lead.deleted` to the subscribed endpoints. A released lead's own deliveries
 * come from the same builder as at intake; a deleted lead's unsent ones are cancelled.
 */
export async function onLeadLifecycleEvent(
  tx: SqlClient,
  input: LeadEventInput & { readonly event: 'lead.released' | 'lead.deleted' },
): Promise<number> {
  if (input.event === 'lead.deleted')
    await cancelPendingForLead(tx, input.accountId, input.activityId, 'lead deleted before sending');
  const endpointIds = await findSubscribedEndpoints(tx, input.accountId, input.event);
  return enqueueDeliveries(tx, lifecycleWebhooks({ ...input, endpointIds }), input.now);
}
