// Which deliveries an active lead gets, from its form's settings; deterministic keys make creating them twice harmless.
import type { AccountRow, FormRow } from '../db/repositories/accounts.ts';
import type { NewDeliveryRow } from '../db/repositories/deliveries.ts';
import { randomUUID } from 'node:crypto';

export interface DeliverableLead {
  readonly activityId: string;
  readonly accountId: string;
  readonly formId: string | null;
  readonly email: string | undefined;
  readonly emailValid: boolean;
}

type CrmTarget =
  | { kind: 'crm_email'; to: string }
  | { kind: 'crm_http'; url: string }
  | { kind: 'webhook'; endpointId: string };

function readTargets(value: unknown): CrmTarget[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): CrmTarget[] => {
    const target = item as Record<string, unknown> | null;
    if (!target || typeof target !== 'object') return [];
    if (target.kind === 'crm_email' && typeof target.to === 'string')
      return [{ kind: 'crm_email', to: target.to }];
    if (target.kind === 'crm_http' && typeof target.url === 'string')
      return [{ kind: 'crm_http', url: target.url }];
    if (target.kind === 'webhook' && typeof target.endpointId === 'string')
      return [{ kind: 'webhook', endpointId: target.endpointId }];
    return [];
  });
}

/**
 * `at` is when the lead became active (received, or released). The account's hold window delays only what leaves
 * for other systems (CRM exports, webhooks), so a lead marked spam inside it is never exported; the notification
 * and the autoresponder go at once, since people must not wait and the notification carries the spam link.
 */
export function buildDeliveries(
  lead: DeliverableLead,
  account: Pick<AccountRow, 'hold_minutes'>,
  form: FormRow | undefined,
  at: Date,
): NewDeliveryRow[] {
  if (!form) return [];
  const created = at.toISOString();
  const held = new Date(at.getTime() + account.hold_minutes * 60_000).toISOString();
  const row = (
    kind: NewDeliveryRow['kind'],
    target: string,
    payload: Record<string, unknown>,
  ): NewDeliveryRow => {
    const notBefore = kind === 'notification' || kind === 'autoresponder' ? created : held;
    return {
      id: randomUUID(),
      account_id: lead.accountId,
      activity_id: lead.activityId,
      kind,
      target,
      payload,
      idempotency_key: `${lead.activityId}:${kind}:${target}`,
      status: 'pending',
      next_attempt_at: notBefore,
      not_before: notBefore,
      created_at: created,
    };
  };
  const rows = form.notification_recipients.map((recipient) => row('notification', recipient, { recipient }));
  const autoresponder = form.autoresponder;
  if (form.autoresponder_enabled && autoresponder && lead.email && lead.emailValid)
    rows.push(row('autoresponder', lead.email, autoresponder));
  for (const target of readTargets(form.crm_targets)) {
    if (target.kind === 'crm_email') rows.push(row('crm_email', target.to, { to: target.to }));
    else if (target.kind === 'crm_http') rows.push(row('crm_http', target.url, { url: target.url }));
    else
      rows.push(
        row('webhook', target.endpointId, {
          endpointId: target.endpointId,
          event: 'lead.created',
          occurredAt: created,
          data: { leadId: lead.activityId, accountId: lead.accountId, formId: lead.formId },
        }),
      );
  }
  return rows;
}
