// Reading leads: inbox, search, quarantine and recent lists with keyset paging, one lead in detail, a contact's timeline.
import {
  countActivities,
  countQuarantined,
  findActivity,
  listActivities,
} from '../db/repositories/activities.ts';
import type { ActivityFilter, ActivityRow, ActivityStatus } from '../db/repositories/activities.ts';
import { findContact } from '../db/repositories/contacts.ts';
import { listActivityDeliveries } from '../db/repositories/deliveries.ts';
import { listActivityHistory, listContactHistory } from '../db/repositories/history.ts';
import { listLeadDeliveries } from '../jobs/delivery-reads.ts';
import { toIso } from '../db/repositories/insert-rows.ts';
import type { LeadQuery, Page } from '../http/services-port.ts';
import { isUuid } from './auth.ts';
import type { ServiceDeps } from './deps.ts';
import { ServiceError } from './errors.ts';

const DAY_MS = 86_400_000;
/** A first page counts its matches up to here and then says "more": counting 100,000 leads per view is not free. */
export const TOTAL_CAP = 1000;

export function toLeadSummary(row: ActivityRow): Record<string, unknown> {
  const verdict = row.verdict as { score?: number } | null;
  return {
    id: row.id,
    status: row.status,
    channel: row.channel,
    kind: row.kind,
    receivedAt: toIso(row.received_at),
    name: row.name,
    email: row.email,
    phone: row.phone,
    formId: row.form_id,
    formName: row.form_name,
    contactId: row.contact_id,
    score: verdict?.score ?? null,
    mainReason: row.main_reason,
    mainCheck: row.main_check,
    deleteAt:
      row.status === 'quarantined'
        ? new Date(new Date(row.status_changed_at).getTime() + row.retention_days * DAY_MS).toISOString()
        : null,
  };
}

function encodeCursor(row: ActivityRow): string {
  return Buffer.from(JSON.stringify([toIso(row.received_at), row.id])).toString('base64url');
}

function decodeCursor(cursor: string): { receivedAt: string; id: string } {
  try {
    const [receivedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof receivedAt === 'string' &&
      typeof id === 'string' &&
      isUuid(id) &&
      !Number.isNaN(Date.parse(receivedAt))
    )
      return { receivedAt, id };
  } catch {
    // falls through to the error below
  }
  throw new ServiceError('invalid_input', 'cursor: not a cursor this service returned');
}

function statusesOf(query: LeadQuery): ActivityStatus[] {
  if (query.view === 'quarantine') return ['quarantined'];
  return query.includeSpam ? ['active', 'quarantined'] : ['active'];
}

export async function listLeads(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  query: LeadQuery,
): Promise<Page<Record<string, unknown>>> {
  if (query.formId !== undefined && !isUuid(query.formId))
    return { items: [], nextCursor: undefined, total: 0 };
  const limit = Math.max(1, Math.min(500, Math.trunc(query.limit) || 50));
  const filter: ActivityFilter = {
    statuses: statusesOf(query),
    text: query.text?.trim() || undefined,
    email: query.email?.trim() || undefined,
    name: query.name?.trim() || undefined,
    phoneDigits: query.phone?.replace(/\D/g, '') || undefined,
    formId: query.formId,
    from: query.from,
    to: query.to,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit,
  };
  const rows = await listActivities(deps.db, accountId, filter);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toLeadSummary),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : undefined,
    ...(query.cursor ? {} : await totalOf(deps, accountId, query, filter)),
  };
}

/** The first page's total: exact for the whole quarantine (the badge's count), capped at TOTAL_CAP otherwise. */
async function totalOf(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  query: LeadQuery,
  filter: ActivityFilter,
): Promise<{ total: number; totalCapped?: true }> {
  const unfiltered = !(filter.text || filter.email || filter.name || filter.phoneDigits || filter.formId);
  if (query.view === 'quarantine' && unfiltered && !filter.from && !filter.to)
    return { total: await countQuarantined(deps.db, accountId) };
  const n = await countActivities(deps.db, accountId, { ...filter, before: undefined }, TOTAL_CAP + 1);
  return n > TOTAL_CAP ? { total: TOTAL_CAP, totalCapped: true } : { total: n };
}

export async function getLead(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  activityId: string,
): Promise<Record<string, unknown> | undefined> {
  const row = await findActivity(deps.db, accountId, activityId);
  if (!row) return undefined;
  const [deliveries, attempts, history] = await Promise.all([
    listActivityDeliveries(deps.db, accountId, activityId),
    listLeadDeliveries(deps.db, accountId, activityId),
    listActivityHistory(deps.db, accountId, activityId),
  ]);
  const detailOf = new Map(attempts.map((d) => [d.id, d]));
  return {
    ...toLeadSummary(row),
    subject: row.subject,
    message: row.message,
    fields: row.fields,
    verdict: row.verdict,
    ip: row.ip,
    userAgent: row.user_agent,
    referrer: row.referrer,
    pageUrl: row.page_url,
    deliveries: deliveries.map((d) => {
      const detail = detailOf.get(String(d.id));
      return {
        id: d.id,
        kind: d.kind,
        target: detail?.target ?? null,
        status: d.status,
        attempts: d.attempts,
        lastError: d.last_error,
        createdAt: toIso(d.created_at),
        sentAt: toIso(d.sent_at) ?? null,
        nextAttemptAt: detail ? detail.nextAttemptAt.toISOString() : null,
        // Every attempt with its outcome, response and duration: what the panel shows beside the resend button.
        history: (detail?.history ?? []).map((h) => ({ ...h, at: h.at.toISOString() })),
      };
    }),
    history: history.map((h) => ({
      type: h.type,
      via: h.via,
      actorUserId: h.actor_user_id,
      detail: h.detail,
      at: toIso(h.at),
    })),
  };
}

export function countQuarantine(deps: Pick<ServiceDeps, 'db'>, accountId: string): Promise<number> {
  return countQuarantined(deps.db, accountId);
}

/** A contact and its timeline: every activity (spam included, marked so) and every history line. */
export async function getContact(
  deps: Pick<ServiceDeps, 'db'>,
  accountId: string,
  contactId: string,
): Promise<Record<string, unknown> | undefined> {
  const contact = await findContact(deps.db, accountId, contactId);
  if (!contact) return undefined;
  const [activities, history] = await Promise.all([
    listActivities(deps.db, accountId, { statuses: ['active', 'quarantined'], contactId, limit: 200 }),
    listContactHistory(deps.db, accountId, contactId),
  ]);
  return {
    id: contact.id,
    email: contact.email,
    phone: contact.phone,
    name: contact.name,
    fields: contact.fields,
    createdAt: toIso(contact.created_at),
    activities: activities.slice(0, 200).map(toLeadSummary),
    history: history.map((h) => ({
      type: h.type,
      via: h.via,
      activityId: h.activity_id,
      actorUserId: h.actor_user_id,
      detail: h.detail,
      at: toIso(h.at),
    })),
  };
}
