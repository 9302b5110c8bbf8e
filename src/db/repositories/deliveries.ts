// The outbox rows intake and review create; the delivery worker claims and updates them.
import type { Db } from '../database.ts';
import { buildInsert, insertRows } from './insert-rows.ts';

export type DeliveryKind = 'notification' | 'autoresponder' | 'crm_email' | 'crm_http' | 'webhook';

export interface NewDeliveryRow {
  id: string;
  account_id: string;
  activity_id: string | null;
  kind: DeliveryKind;
  target: string;
  payload: Record<string, unknown>;
  idempotency_key: string;
  status: 'pending';
  next_attempt_at: string;
  not_before: string;
  created_at: string;
}

export const deliveryColumns = [
  ['id', 'uuid'],
  ['account_id', 'uuid'],
  ['activity_id', 'uuid'],
  ['kind', 'text'],
  ['target', 'text'],
  ['payload', 'jsonb'],
  ['idempotency_key', 'text'],
  ['status', 'text'],
  ['next_attempt_at', 'timestamptz'],
  ['not_before', 'timestamptz'],
  ['created_at', 'timestamptz'],
] as const;

/** The key is deterministic (activity + kind + target): releasing twice never sends twice. */
export const deliveryConflict = 'ON CONFLICT (idempotency_key) DO NOTHING';
const insertSql = buildInsert('deliveries', deliveryColumns, deliveryConflict);
export async function insertDeliveries(db: Db, rows: readonly NewDeliveryRow[]): Promise<void> {
  await insertRows(db, insertSql, rows);
}

/** Spam reaches no one: pending work for an activity that is quarantined or deleted is cancelled. */
export async function cancelPendingDeliveries(
  db: Db,
  accountId: string,
  activityId: string,
): Promise<number> {
  const rows = await db.query(
    `UPDATE deliveries SET status = 'cancelled', last_error = 'the lead was quarantined or deleted'
     WHERE account_id = $1 AND activity_id = $2 AND status = 'pending' RETURNING id`,
    [accountId, activityId],
  );
  return rows.length;
}

export async function listActivityDeliveries(
  db: Db,
  accountId: string,
  activityId: string,
): Promise<
  {
    id: string;
    kind: string;
    status: string;
    attempts: number;
    last_error: string | null;
    created_at: Date;
    sent_at: Date | null;
  }[]
> {
  return db.query(
    `SELECT id, kind, status, attempts, last_error, created_at, sent_at FROM deliveries
     WHERE account_id = $1 AND activity_id = $2 ORDER BY created_at, id`,
    [accountId, activityId],
  );
}

export async function cancelDeliveriesForActivities(db: Db, activityIds: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = 'cancelled', last_error = 'the lead was deleted'
     WHERE activity_id = ANY($1::uuid[]) AND status = 'pending'`,
    [activityIds],
  );
}
