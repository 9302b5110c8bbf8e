// Report counts: one pass over a period's leads, grouped by day, status, form, source and main check.
import type { Db } from '../database.ts';
import type { ActivityStatus } from './activities.ts';

export interface ReportCountRow {
  /** YYYY-MM-DD, in UTC. */
  readonly day: string;
  readonly status: ActivityStatus;
  readonly form_id: string | null;
  /** Where the lead came from: form, akismet, call or file. */
  readonly channel: string;
  /** The check behind the quarantine at intake; null for leads that came in active. */
  readonly main_check: string | null;
  /** Staff marked the lead "not spam" at least once. */
  readonly released: boolean;
  readonly n: number;
}

/**
 * Every report of the period comes from these groups. The scan reads only the `activities_received` index
 * (its INCLUDE columns carry what is grouped), and released leads come from the small partial index of
 * "not spam" marks joined once by hash, never a history lookup per lead. Deleted leads are counted too, for the
 * release rate of the checks that caught them; the other reports leave them out.
 */
export async function countReportRows(
  db: Db,
  accountId: string,
  from: Date,
  to: Date,
): Promise<ReportCountRow[]> {
  return db.query<ReportCountRow>(
    `SELECT to_char(g.day, 'YYYY-MM-DD') AS day, g.status, g.form_id, g.channel, g.main_check, g.released, g.n
     FROM (
       SELECT date_trunc('day', a.received_at AT TIME ZONE 'UTC') AS day, a.status, a.form_id, a.channel,
              a.main_check, r.activity_id IS NOT NULL AS released, count(*)::int AS n
       FROM activities a
       LEFT JOIN (SELECT DISTINCT activity_id FROM history_events
                  WHERE account_id = $1 AND type = 'marked_not_spam') r ON r.activity_id = a.id
       WHERE a.account_id = $1 AND a.received_at >= $2 AND a.received_at < $3
       GROUP BY 1, 2, 3, 4, 5, 6
     ) g
     ORDER BY 1`,
    [accountId, from, to],
  );
}
