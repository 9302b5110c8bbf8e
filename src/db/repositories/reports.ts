// Report queries: leads per day by status and form, quarantine reasons by check, release rate per check.
import type { Db } from '../database.ts';

export async function countLeadsPerDay(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
): Promise<{ day: string; status: string; form_id: string | null; n: number }[]> {
  return db.query(
    `SELECT to_char(date_trunc('day', received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, status, form_id, count(*)::int AS n
     FROM activities WHERE account_id = $1 AND received_at >= $2 AND received_at < $3 AND status <> 'deleted'
     GROUP BY 1, 2, 3 ORDER BY 1, 2`,
    [accountId, from, to],
  );
}

/** Quarantined leads by the check behind their main reason. */
export async function countQuarantineReasons(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
): Promise<{ check: string; n: number }[]> {
  return db.query(
    `SELECT coalesce(main_check, 'unknown') AS check, count(*)::int AS n FROM activities
     WHERE account_id = $1 AND received_at >= $2 AND received_at < $3 AND status = 'quarantined'
     GROUP BY 1 ORDER BY 2 DESC`,
    [accountId, from, to],
  );
}

/** Per main check: how many leads it quarantined at intake, and how many of those staff released (false positives). */
export async function countReleasesByCheck(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
): Promise<{ check: string; quarantined: number; released: number }[]> {
  return db.query(
    `SELECT coalesce(a.main_check, 'unknown') AS check, count(*)::int AS quarantined,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM history_events h WHERE h.account_id = a.account_id
              AND h.activity_id = a.id AND h.type = 'marked_not_spam'))::int AS released
     FROM activities a
     WHERE a.account_id = $1 AND a.received_at >= $2 AND a.received_at < $3
       AND EXISTS (SELECT 1 FROM history_events q WHERE q.account_id = a.account_id AND q.activity_id = a.id AND q.type = 'quarantined')
     GROUP BY 1 ORDER BY 2 DESC`,
    [accountId, from, to],
  );
}
