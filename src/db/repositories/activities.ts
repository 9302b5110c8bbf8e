// Contacts and activities: batch writes for intake, status changes for review, lists with keyset paging, retention.
import type { Db } from '../database.ts';
import { buildInsert, insertRows } from './insert-rows.ts';

export type ActivityStatus = 'active' | 'quarantined' | 'deleted';

export interface NewActivityRow {
  id: string;
  account_id: string;
  form_id: string | null;
  contact_id: string;
  kind: 'lead' | 'call';
  channel: string;
  status: ActivityStatus;
  name: string | null;
  email: string | null;
  phone: string | null;
  subject: string | null;
  message: string | null;
  fields: Record<string, unknown>;
  verdict: unknown;
  main_reason: string | null;
  main_check: string | null;
  ip: string | null;
  user_agent: string | null;
  referrer: string | null;
  page_url: string | null;
  fingerprint: string | null;
  received_at: string;
  status_changed_at: string;
  /** Calls only: the provider's call id (Twilio CallSid), unique per account. */
  call_sid?: string | null;
}

export interface ActivityRow extends Omit<NewActivityRow, 'received_at' | 'status_changed_at'> {
  received_at: Date;
  status_changed_at: Date;
  deleted_at: Date | null;
  form_name: string | null;
  retention_days: number;
}

export const activityColumns = [
  ['id', 'uuid'],
  ['account_id', 'uuid'],
  ['form_id', 'uuid'],
  ['contact_id', 'uuid'],
  ['kind', 'text'],
  ['channel', 'text'],
  ['status', 'text'],
  ['name', 'text'],
  ['email', 'text'],
  ['phone', 'text'],
  ['subject', 'text'],
  ['message', 'text'],
  ['fields', 'jsonb'],
  ['verdict', 'jsonb'],
  ['main_reason', 'text'],
  ['main_check', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
  ['referrer', 'text'],
  ['page_url', 'text'],
  ['fingerprint', 'text'],
  ['received_at', 'timestamptz'],
  ['status_changed_at', 'timestamptz'],
  ['call_sid', 'text'],
] as const;
const insertActivitiesSql = buildInsert('activities', activityColumns);

export async function insertActivities(db: Db, rows: readonly NewActivityRow[]): Promise<void> {
  await insertRows(db, insertActivitiesSql, rows);
}

const selectActivity = `SELECT a.*, f.name AS form_name, acc.retention_days
  FROM activities a JOIN accounts acc ON acc.id = a.account_id LEFT JOIN forms f ON f.id = a.form_id`;

/** The call stored for a CallSid, deleted or not: a retried webhook must find it and never store it again. */
export async function findCallBySid(
  db: Db,
  accountId: string,
  callSid: string,
): Promise<{ id: string; verdict: unknown } | undefined> {
  const [row] = await db.query<{ id: string; verdict: unknown }>(
    'SELECT id, verdict FROM activities WHERE account_id = $1 AND call_sid = $2',
    [accountId, callSid],
  );
  return row;
}

/** A deleted activity is gone for every reader. */
export async function findActivity(db: Db, accountId: string, id: string): Promise<ActivityRow | undefined> {
  const [row] = await db.query<ActivityRow>(
    `${selectActivity} WHERE a.account_id = $1 AND a.id = $2 AND a.status <> 'deleted'`,
    [accountId, id],
  );
  return row;
}

/** Locks the row for a status change; undefined when missing, deleted or another tenant's. */
export async function lockActivity(
  db: Db,
  accountId: string,
  id: string,
): Promise<{ id: string; contact_id: string; status: ActivityStatus; form_id: string | null } | undefined> {
  const [row] = await db.query<{
    id: string;
    contact_id: string;
    status: ActivityStatus;
    form_id: string | null;
  }>(
    `SELECT id, contact_id, status, form_id FROM activities
     WHERE account_id = $1 AND id = $2 AND status <> 'deleted' FOR UPDATE`,
    [accountId, id],
  );
  return row;
}

export async function setActivityStatus(
  db: Db,
  accountId: string,
  id: string,
  status: ActivityStatus,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE activities SET status = $3, status_changed_at = $4,
       deleted_at = CASE WHEN $3 = 'deleted' THEN $4 ELSE deleted_at END
     WHERE account_id = $1 AND id = $2`,
    [accountId, id, status, at],
  );
}

export async function countQuarantined(db: Db, accountId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM activities WHERE account_id = $1 AND status = 'quarantined'`,
    [accountId],
  );
  return row?.n ?? 0;
}

export interface ActivityFilter {
  statuses: readonly ActivityStatus[];
  text?: string;
  email?: string;
  phoneDigits?: string;
  name?: string;
  formId?: string;
  contactId?: string;
  from?: Date;
  to?: Date;
  /** Keyset cursor: rows strictly older than this (received_at, id). */
  before?: { receivedAt: string; id: string };
  limit: number;
}

/** A LIKE pattern that matches `text` literally anywhere: what staff type has no wildcards. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A lead's search text computed from its row, as the search indexer stores it in lead_search. */
const queuedSearchText = 'lead_search_text(a.name, a.email, a.phone, a.subject, a.message, a.fields)';

interface ActivityWhere {
  /** Conditions on the activity row `a` that its indexes serve: account, status, form, contact, dates. */
  readonly sql: string;
  /** Text conditions on the row's own columns (email, name, phone digits), each ` AND …`; empty when none. */
  readonly columnChecks: string;
  readonly params: unknown[];
  /** Parameters holding LIKE patterns the lead's search text must contain. */
  readonly searched: readonly string[];
  /** Whether some pattern holds three letters or digits in a row: only then can the trigram index narrow. */
  readonly indexable: boolean;
  /** The statuses asked for: only active leads are search-indexed (migration 0008). */
  readonly statuses: readonly string[];
}

function whereOf(accountId: string, filter: ActivityFilter): ActivityWhere {
  const params: unknown[] = [accountId];
  const clauses = ['a.account_id = $1'];
  const searched: string[] = [];
  let columnChecks = '';
  let indexable = false;
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  // One status as an equality, not `= ANY`: only then does the (account, status, received_at) index give the order.
  if (filter.statuses.length === 1) add((p) => `a.status = ${p}`, filter.statuses[0]);
  else add((p) => `a.status = ANY(${p}::text[])`, filter.statuses);
  // Every text filter is also matched against the search text, which contains each column: the trigram index
  // narrows the rows, the column's own condition keeps the meaning exact.
  const contains = (column: string | undefined, value: string) => {
    params.push(containsPattern(value));
    const p = `$${params.length}`;
    searched.push(p);
    if (column) columnChecks += ` AND ${column} LIKE lower(${p})`;
    indexable ||= /[\p{L}\p{N}]{3}/u.test(value);
  };
  if (filter.text) contains(undefined, filter.text);
  if (filter.email) contains(`lower(coalesce(a.email, ''))`, filter.email);
  if (filter.name) contains(`lower(coalesce(a.name, ''))`, filter.name);
  if (filter.phoneDigits)
    contains(`regexp_replace(coalesce(a.phone, ''), '[^0-9]', '', 'g')`, filter.phoneDigits);
  if (filter.formId) add((p) => `a.form_id = ${p}::uuid`, filter.formId);
  if (filter.contactId) add((p) => `a.contact_id = ${p}::uuid`, filter.contactId);
  if (filter.from) add((p) => `a.received_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `a.received_at < ${p}`, filter.to);
  return { sql: clauses.join(' AND '), columnChecks, params, searched, indexable, statuses: filter.statuses };
}

const newest = 'ORDER BY a.received_at DESC, a.id DESC';

/** How many of the newest leads a search page reads first, before it asks the trigram index (see searchIds). */
const recentFirst = 1000;

/**
 * The ids of the activities matching `conditions` (the indexed ones; the cursor included) and every searched
 * pattern, at most the number in the `limit` parameter: the newest first for a page, any for a count.
 *
 * Only active leads are search-indexed (migration 0008): a quarantined or deleted lead is read by its text, newest
 * first. An active lead still queued for the search indexer (migration 0006) is read by its text too. Indexed ones
 * are found in lead_search in one of two ways, chosen here because the planner cannot tell a common pattern from a
 * rare one. A page first reads the newest `recentFirst` leads: a common pattern fills it there in milliseconds. When
 * it does not, the pattern is rare, and the trigram index lists every indexed lead that has it. A count goes to the
 * index at once and stops at the limit. Patterns without three letters or digits in a row are beyond the index and
 * are matched newest first. An active lead is either queued or indexed at any snapshot, so nothing is missed.
 */
async function searchIds(
  db: Db,
  where: ActivityWhere,
  conditions: string,
  limit: string,
  purpose: { page: number } | 'count',
): Promise<string[]> {
  const like = (text: string) => where.searched.map((p) => ` AND ${text} LIKE lower(${p})`).join('');
  const order = purpose === 'count' ? '' : newest;
  const wantsActive = where.statuses.includes('active');
  const wantsOthers = where.statuses.some((status) => status !== 'active');
  const unindexed = `SELECT a.id, a.received_at FROM activities a
    WHERE ${conditions} AND a.status <> 'active'${where.columnChecks}${like(queuedSearchText)}`;
  const run = async (...branches: string[]) =>
    (
      await db.query<{ id: string }>(
        `SELECT a.id FROM (${branches.map((branch) => `(SELECT * FROM (${branch}) a ${order} LIMIT ${limit})`).join(' UNION ALL ')}) a
         ${order} LIMIT ${limit}`,
        where.params,
      )
    ).map((row) => row.id);
  if (!wantsActive) return run(unindexed);
  const others = wantsOthers ? [unindexed] : [];
  const active = wantsOthers ? `${conditions} AND a.status = 'active'` : conditions;
  // OFFSET 0 keeps each inner query as written: the planner would otherwise turn them around.
  const queued = `SELECT a.id, a.received_at
    FROM (SELECT activity_id FROM lead_search_queue WHERE account_id = $1 OFFSET 0) q
    CROSS JOIN LATERAL (SELECT * FROM activities a WHERE a.id = q.activity_id OFFSET 0) a
    WHERE ${active}${where.columnChecks}${like(queuedSearchText)}`;
  const recent = `SELECT a.id, a.received_at
    FROM (SELECT a.* FROM activities a WHERE ${active} ${newest} LIMIT ${recentFirst}) a
    JOIN lead_search s ON s.activity_id = a.id WHERE true${where.columnChecks}${like('s.body')}`;
  const indexed = `SELECT a.id, a.received_at
    FROM (SELECT s.activity_id FROM lead_search s WHERE s.account_id = $1${like('s.body')} OFFSET 0) s
    JOIN activities a ON a.id = s.activity_id WHERE ${active}${where.columnChecks}`;
  const scanned = `SELECT a.id, a.received_at FROM activities a JOIN lead_search s ON s.activity_id = a.id
    WHERE ${active}${where.columnChecks}${like('s.body')}`;
  const everywhere = where.indexable ? indexed : scanned;
  if (purpose === 'count') return run(everywhere, queued, ...others);
  const found = await run(recent, queued, ...others);
  return found.length >= purpose.page ? found : run(everywhere, queued, ...others);
}

/** Adds the form's name and the account's retention to a page of activities `a`, newest first. */
const withNames = (page: string) =>
  `SELECT a.*, f.name AS form_name, acc.retention_days
   FROM (${page}) a JOIN accounts acc ON acc.id = a.account_id LEFT JOIN forms f ON f.id = a.form_id
   ${newest}`;

/** Newest first; one row more than `limit` tells there is a next page. */
export async function listActivities(
  db: Db,
  accountId: string,
  filter: ActivityFilter,
): Promise<ActivityRow[]> {
  const where = whereOf(accountId, filter);
  const { params } = where;
  let conditions = where.sql;
  if (filter.before) {
    params.push(filter.before.receivedAt, filter.before.id);
    conditions += ` AND (a.received_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(filter.limit + 1);
  const limit = `$${params.length}`;
  // The page is cut before the joins: however stale the planner's row counts, it never joins a whole account.
  if (where.searched.length === 0)
    return db.query<ActivityRow>(
      withNames(`SELECT a.* FROM activities a WHERE ${conditions} ${newest} LIMIT ${limit}`),
      params,
    );
  const ids = await searchIds(db, where, conditions, limit, { page: filter.limit + 1 });
  return db.query<ActivityRow>(
    withNames('SELECT a.* FROM activities a WHERE a.account_id = $1 AND a.id = ANY($2::uuid[])'),
    [accountId, ids],
  );
}

/** Counts matching rows, but stops at `upTo`: a page's total never reads the whole account. */
export async function countActivities(
  db: Db,
  accountId: string,
  filter: ActivityFilter,
  upTo: number,
): Promise<number> {
  const where = whereOf(accountId, filter);
  const { params } = where;
  params.push(upTo);
  const limit = `$${params.length}`;
  if (where.searched.length > 0) return (await searchIds(db, where, where.sql, limit, 'count')).length;
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM activities a WHERE ${where.sql} LIMIT ${limit}) AS counted`,
    params,
  );
  return row?.n ?? 0;
}

/** Quarantined activities past their account's retention, oldest first, locked so parallel purgers split the work. */
export async function lockExpiredQuarantine(
  db: Db,
  now: Date,
  limit: number,
): Promise<{ id: string; account_id: string; contact_id: string }[]> {
  return db.query(
    `SELECT a.id, a.account_id, a.contact_id FROM activities a JOIN accounts acc ON acc.id = a.account_id
     WHERE a.status = 'quarantined' AND a.status_changed_at + make_interval(days => acc.retention_days) <= $1
     ORDER BY a.status_changed_at LIMIT $2 FOR UPDATE OF a SKIP LOCKED`,
    [now, limit],
  );
}

/** Deleted activities past their account's retention whose content is still there, locked like the quarantine. */
export async function lockDeletedWithContent(db: Db, now: Date, limit: number): Promise<{ id: string }[]> {
  return db.query(
    `SELECT a.id FROM activities a JOIN accounts acc ON acc.id = a.account_id
     WHERE a.status = 'deleted' AND a.deleted_at + make_interval(days => acc.retention_days) <= $1
       AND (a.name IS NOT NULL OR a.email IS NOT NULL OR a.phone IS NOT NULL OR a.message IS NOT NULL
            OR a.subject IS NOT NULL OR a.ip IS NOT NULL OR a.fields <> '{}'::jsonb)
     LIMIT $2 FOR UPDATE OF a SKIP LOCKED`,
    [now, limit],
  );
}

/** Clears what a lead said, keeping the row (and its id for the history) with its status and dates. */
export async function clearActivityContent(db: Db, ids: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE activities SET name = NULL, email = NULL, phone = NULL, subject = NULL, message = NULL, fields = '{}',
       ip = NULL, user_agent = NULL, referrer = NULL, page_url = NULL
     WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

/** Soft-deletes and clears the content: after retention only the history line and the contact remain. */
export async function purgeActivities(db: Db, ids: readonly string[], at: Date): Promise<void> {
  await db.query(
    `UPDATE activities SET status = 'deleted', status_changed_at = $2, deleted_at = $2,
       name = NULL, email = NULL, phone = NULL, subject = NULL, message = NULL, fields = '{}', ip = NULL,
       user_agent = NULL, referrer = NULL, page_url = NULL
     WHERE id = ANY($1::uuid[])`,
    [ids, at],
  );
}

/** Leads received since `since` (any status but deleted), for backtesting a rule before saving it. */
export async function listActivitiesSince(
  db: Db,
  accountId: string,
  since: Date,
  limit: number,
): Promise<ActivityRow[]> {
  return db.query<ActivityRow>(
    `${selectActivity} WHERE a.account_id = $1 AND a.status <> 'deleted' AND a.received_at >= $2
     ORDER BY a.received_at DESC LIMIT $3`,
    [accountId, since, limit],
  );
}

/**
 * Earlier leads with one body read per lead at most: the duplicate_body score stops growing at four other senders,
 * and a body sent thousands of times (a campaign from many addresses) must not make each new copy read them all.
 */
export const SAME_BODY_READ_LIMIT = 1000;

/**
 * For each lead's (account, fingerprint): how many contacts other than those in `exclude` (the lead's own, and the
 * ones the caller counts itself) sent that body since `since`, among at most SAME_BODY_READ_LIMIT earlier leads with
 * it (so the figure is a floor once a body is that common). Answers in the order of `keys`.
 */
export async function countSameBodySenders(
  db: Db,
  keys: readonly { account_id: string; fingerprint: string; exclude: readonly string[] }[],
  since: Date,
): Promise<number[]> {
  if (keys.length === 0) return [];
  const rows = await db.query<{ i: number; n: number }>(
    `SELECT k.i, count(DISTINCT a.contact_id)::int AS n
     FROM jsonb_to_recordset($1::jsonb) AS k(i int, account_id uuid, fingerprint text, exclude uuid[])
     CROSS JOIN LATERAL (
       SELECT a.contact_id FROM activities a
       WHERE a.account_id = k.account_id AND a.fingerprint = k.fingerprint
         AND a.contact_id <> ALL (k.exclude) AND a.received_at >= $2
       LIMIT $3) a
     GROUP BY 1`,
    [JSON.stringify(keys.map((key, i) => ({ i, ...key }))), since, SAME_BODY_READ_LIMIT],
  );
  const counts = keys.map(() => 0);
  for (const row of rows) counts[row.i] = row.n;
  return counts;
}
