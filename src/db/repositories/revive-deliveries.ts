// A released lead's deliveries that a spam mark cancelled before they were sent go back to pending, as if never quarantined.
import type { Db } from '../database.ts';
import type { NewDeliveryRow } from './deliveries.ts';

/**
 * Keys are deterministic per lead, kind and target, so re-inserting on release adds nothing for work a spam mark
 * cancelled; this revives exactly those rows with the new schedule. Sent work stays sent (never sent twice).
 */
export async function reviveCancelledDeliveries(
  db: Db,
  accountId: string,
  rows: readonly Pick<NewDeliveryRow, 'idempotency_key' | 'not_before'>[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const revived = await db.query(
    `UPDATE deliveries d SET status = 'pending', attempts = 0, last_error = NULL, locked_by = NULL, locked_until = NULL,
            next_attempt_at = r.not_before, not_before = r.not_before
       FROM jsonb_to_recordset($2::jsonb) AS r(idempotency_key text, not_before timestamptz)
      WHERE d.account_id = $1 AND d.idempotency_key = r.idempotency_key AND d.status = 'cancelled'
      RETURNING d.id`,
    [
      accountId,
      JSON.stringify(
        rows.map((row) => ({ idempotency_key: row.idempotency_key, not_before: row.not_before })),
      ),
    ],
  );
  return revived.length;
}
