// The outbox's SQL: enqueue with the lead, claim due rows with FOR UPDATE SKIP LOCKED, record attempts, resend, cancel.
import { randomUUID } from 'node:crypto';
import type { DeliveryKind, DeliveryOutcome } from './delivery-job-kit.ts';
import { loadDeliveryLead } from './delivery-reads.ts';
import type { DeliveryLead } from './messages.ts';

/** The part of the storage layer's `Db` (or of a transaction's `tx`) the outbox speaks through. */
export interface SqlClient {
  query<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export type LeadStatus = 'active' | 'quarantined' | 'deleted';
export type DeliveryStatus = 'pending' | 'processing' | 'sent' | 'failed' | 'cancelled';

export interface NewDelivery {
  readonly accountId: string;
  readonly activityId: string;
  readonly kind: DeliveryKind;
  /** What the delivery goes to (recipient, URL, endpoint id), for the panel's list. */
  readonly target: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** Not sent before this time: the account's hold window for exports. */
  readonly notBefore: Date;
  /** Deterministic per (activity, kind, target, event), so enqueueing twice adds nothing. */
  readonly idempotencyKey: string;
}

export interface ClaimedDelivery {
  readonly id: string;
  readonly accountId: string;
  readonly activityId: string | undefined;
  readonly kind: DeliveryKind;
  readonly payload: unknown;
  readonly idempotencyKey: string;
  /** Attempts made, this one included. */
  readonly attempts: number;
}

export type NextState =
  { readonly status: 'sent' | 'failed' } | { readonly status: 'pending'; readonly nextAttemptAt: Date };

export interface FinishedAttempt {
  readonly delivery: ClaimedDelivery;
  readonly workerId: string;
  readonly startedAt: Date;
  readonly outcome: DeliveryOutcome;
  readonly next: NextState;
}

export interface LoadedLead {
  readonly lead: DeliveryLead;
  readonly status: LeadStatus;
}

export interface DeliveryRepository {
  claimDue(input: {
    now: Date;
    limit: number;
    leaseMs: number;
    workerId: string;
  }): Promise<ClaimedDelivery[]>;
  loadLead(accountId: string, activityId: string): Promise<LoadedLead | undefined>;
  finishAttempt(attempt: FinishedAttempt): Promise<void>;
  cancel(id: string, workerId: string, reason: string): Promise<void>;
}

interface DeliveryRow {
  id: string;
  account_id: string;
  activity_id: string | null;
  kind: DeliveryKind;
  payload: unknown;
  idempotency_key: string;
  attempts: number;
}

const parseJson = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function toClaimed(row: DeliveryRow): ClaimedDelivery {
  return {
    id: String(row.id),
    accountId: String(row.account_id),
    activityId: row.activity_id === null ? undefined : String(row.activity_id),
    kind: row.kind,
    payload: parseJson(row.payload),
    idempotencyKey: row.idempotency_key,
    attempts: Number(row.attempts),
  };
}

/** Adds deliveries inside the caller's transaction (the one that stores the lead); a repeated key is a no-op. */
export async function enqueueDeliveries(
  tx: SqlClient,
  deliveries: readonly NewDelivery[],
  now: Date,
): Promise<number> {
  let added = 0;
  for (const d of deliveries) {
    const rows = await tx.query<{ id: string }>(
      `INSERT INTO deliveries (id, account_id, activity_id, kind, target, payload, idempotency_key, status, attempts,
         next_attempt_at, not_before, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, 'pending', 0, $8, $8, $9)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        d.accountId,
        d.activityId,
        d.kind,
        d.target,
        JSON.stringify(d.payload),
        d.idempotencyKey,
        d.notBefore,
        now,
      ],
    );
    added += rows.length;
  }
  return added;
}

export function createDeliveryRepository(db: SqlClient): DeliveryRepository {
  return {
    loadLead: (accountId, activityId) => loadDeliveryLead(db, accountId, activityId),

    async claimDue({ now, limit, leaseMs, workerId }) {
      // One statement: rows another worker holds are skipped, not waited on; an expired lease is fair game again.
      const rows = await db.query<DeliveryRow>(
        `UPDATE deliveries AS d
            SET status = 'processing', attempts = d.attempts + 1, locked_by = $1, locked_until = $2
          WHERE d.id IN (
                SELECT id FROM deliveries
                 WHERE status IN ('pending', 'processing')
                   AND next_attempt_at <= $3 AND not_before <= $3
                   AND (status = 'pending' OR locked_until < $3)
                 ORDER BY next_attempt_at
                 LIMIT $4
                 FOR UPDATE SKIP LOCKED)
          RETURNING d.id, d.account_id, d.activity_id, d.kind, d.payload, d.idempotency_key, d.attempts`,
        [workerId, new Date(now.getTime() + leaseMs), now, limit],
      );
      return rows.map(toClaimed);
    },

    async finishAttempt({ delivery, workerId, startedAt, outcome, next }) {
      await db.query(
        `INSERT INTO delivery_attempts (id, delivery_id, attempted_at, outcome, response_code, response_snippet, duration_ms, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          randomUUID(),
          delivery.id,
          startedAt,
          outcome.ok ? 'sent' : 'failed',
          outcome.statusCode ?? null,
          outcome.snippet,
          Math.round(outcome.durationMs),
          outcome.ok ? null : (outcome.error ?? 'error'),
        ],
      );
      // Only the holder of the claim moves the row on; a worker whose lease lapsed records its attempt and stops there.
      await db.query(
        `UPDATE deliveries
            SET status = $3, next_attempt_at = COALESCE($4::timestamptz, next_attempt_at), locked_by = NULL,
                locked_until = NULL, last_error = $5,
                sent_at = CASE WHEN $3 = 'sent' THEN $6::timestamptz ELSE sent_at END
          WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
        [
          delivery.id,
          workerId,
          next.status,
          next.status === 'pending' ? next.nextAttemptAt : null,
          outcome.ok ? null : outcome.snippet,
          startedAt,
        ],
      );
    },

    async cancel(id, workerId, reason) {
      await db.query(
        `UPDATE deliveries SET status = 'cancelled', last_error = $3, locked_by = NULL, locked_until = NULL
          WHERE id = $1 AND locked_by = $2 AND status = 'processing'`,
        [id, workerId, reason],
      );
    },
  };
}

/** The panel's resend button: a failed delivery goes back to pending with a fresh attempt budget. */
export async function resendDelivery(
  db: SqlClient,
  accountId: string,
  deliveryId: string,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE deliveries SET status = 'pending', next_attempt_at = $3, attempts = 0, last_error = NULL
      WHERE id = $1 AND account_id = $2 AND status = 'failed'
      RETURNING id`,
    [deliveryId, accountId, now],
  );
  return rows.length > 0;
}

/** Cancels what a lead has not sent yet (marked spam or deleted inside the hold window); lifecycle webhooks stay. */
export async function cancelPendingForLead(
  tx: SqlClient,
  accountId: string,
  activityId: string,
  reason: string,
): Promise<number> {
  const rows = await tx.query<{ id: string }>(
    `UPDATE deliveries SET status = 'cancelled', last_error = $3
      WHERE account_id = $1 AND activity_id = $2 AND status = 'pending'
        AND NOT (kind = 'webhook' AND payload->>'event' <> 'lead.created')
      RETURNING id`,
    [accountId, activityId, reason],
  );
  return rows.length;
}

/** True when a CRM export or a lead.created webhook already reached its receiver. */
export async function wasExported(tx: SqlClient, accountId: string, activityId: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM deliveries
      WHERE account_id = $1 AND activity_id = $2 AND status = 'sent'
        AND (kind IN ('crm_email', 'crm_http') OR (kind = 'webhook' AND payload->>'event' = 'lead.created'))
      LIMIT 1`,
    [accountId, activityId],
  );
  return rows.length > 0;
}
