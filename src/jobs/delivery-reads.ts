// What deliveries read: the lead as it is now, the account's name and endpoints, and a lead's deliveries with their attempts.
import type { DeliveryKind } from './delivery-job-kit.ts';
import type { DeliveryStatus, LeadStatus, LoadedLead, SqlClient } from './delivery-repository.ts';

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

interface ActivityRow {
  id: string;
  account_id: string;
  status: LeadStatus;
  name: string | null;
  email: string | null;
  phone: string | null;
  subject: string | null;
  message: string | null;
  fields: unknown;
  received_at: Date | string;
  form_name: string | null;
  kind: string;
}

/** The lead as deliveries see it now: fields from the activity, the form's name for subjects and ADF. */
export async function loadDeliveryLead(
  db: SqlClient,
  accountId: string,
  activityId: string,
): Promise<LoadedLead | undefined> {
  const [row] = await db.query<ActivityRow>(
    `SELECT a.id, a.account_id, a.status, a.kind, a.name, a.email, a.phone, a.subject, a.message, a.fields, a.received_at,
            f.name AS form_name
       FROM activities a LEFT JOIN forms f ON f.id = a.form_id
      WHERE a.account_id = $1 AND a.id = $2`,
    [accountId, activityId],
  );
  if (!row) return undefined;
  const fields = parseJson(row.fields);
  return {
    status: row.status,
    lead: {
      id: String(row.id),
      accountId: String(row.account_id),
      formName: row.form_name ?? (row.kind === 'call' ? 'Phone call' : 'Lead'),
      receivedAt: new Date(row.received_at),
      name: row.name ?? undefined,
      email: row.email ?? undefined,
      phone: row.phone ?? undefined,
      subject: row.subject ?? undefined,
      message: row.message ?? undefined,
      fields: fields && typeof fields === 'object' ? (fields as Record<string, unknown>) : undefined,
    },
  };
}

/** An account's webhook endpoint by id (never another tenant's). */
export async function findWebhookEndpoint(
  db: SqlClient,
  accountId: string,
  endpointId: string,
): Promise<{ url: string; secret: string; enabled: boolean } | undefined> {
  const [row] = await db.query<{ url: string; secret: string; enabled: boolean }>(
    'SELECT url, secret, enabled FROM webhook_endpoints WHERE account_id = $1 AND id::text = $2',
    [accountId, endpointId],
  );
  return row;
}

/** The account's name, which ADF calls the vendor. */
export async function findAccountName(db: SqlClient, accountId: string): Promise<string> {
  const [row] = await db.query<{ name: string }>('SELECT name FROM accounts WHERE id = $1', [accountId]);
  return row?.name ?? 'LeadGuard account';
}

/** Deliveries and their attempts for one lead, newest attempt last: what the panel's lead page lists. */
export async function listLeadDeliveries(
  db: SqlClient,
  accountId: string,
  activityId: string,
): Promise<
  {
    id: string;
    kind: DeliveryKind;
    target: string;
    status: DeliveryStatus;
    attempts: number;
    lastError: string | null;
    nextAttemptAt: Date;
    sentAt: Date | null;
    history: {
      at: Date;
      outcome: string;
      responseCode: number | null;
      snippet: string | null;
      durationMs: number | null;
      error: string | null;
    }[];
  }[]
> {
  const deliveries = await db.query<{
    id: string;
    kind: DeliveryKind;
    target: string;
    status: DeliveryStatus;
    attempts: number;
    last_error: string | null;
    next_attempt_at: Date;
    sent_at: Date | null;
  }>(
    `SELECT id, kind, target, status, attempts, last_error, next_attempt_at, sent_at FROM deliveries
      WHERE account_id = $1 AND activity_id = $2 ORDER BY created_at, id`,
    [accountId, activityId],
  );
  const attempts = await db.query<{
    delivery_id: string;
    attempted_at: Date;
    outcome: string;
    response_code: number | null;
    response_snippet: string | null;
    duration_ms: number | null;
    error: string | null;
  }>(
    `SELECT t.delivery_id, t.attempted_at, t.outcome, t.response_code, t.response_snippet, t.duration_ms, t.error
       FROM delivery_attempts t JOIN deliveries d ON d.id = t.delivery_id
      WHERE d.account_id = $1 AND d.activity_id = $2 ORDER BY t.attempted_at, t.id`,
    [accountId, activityId],
  );
  return deliveries.map((d) => ({
    id: String(d.id),
    kind: d.kind,
    target: d.target,
    status: d.status,
    attempts: Number(d.attempts),
    lastError: d.last_error,
    nextAttemptAt: new Date(d.next_attempt_at),
    sentAt: d.sent_at === null ? null : new Date(d.sent_at),
    history: attempts
      .filter((a) => String(a.delivery_id) === String(d.id))
      .map((a) => ({
        at: new Date(a.attempted_at),
        outcome: a.outcome,
        responseCode: a.response_code,
        snippet: a.response_snippet,
        durationMs: a.duration_ms,
        error: a.error,
      })),
  }));
}
