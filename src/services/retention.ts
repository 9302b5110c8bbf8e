// Retention: quarantined leads past their account's retention period, content of deleted leads, and render-token nonces past their token's lifetime.
import {
  clearActivityContent,
  lockDeletedWithContent,
  lockExpiredQuarantine,
  purgeActivities,
} from '../db/repositories/activities.ts';
import { cancelDeliveriesForActivities } from '../db/repositories/deliveries.ts';
import { insertHistoryEvents } from '../db/repositories/history.ts';
import { forgetMarkContent } from '../db/repositories/mark-samples.ts';
import { deleteExpiredNonces } from '../db/repositories/nonces.ts';
import { nowOf } from './deps.ts';
import type { ServiceDeps } from './deps.ts';
import { historyLine } from './history-line.ts';

/**
 * Deletes quarantined leads older than their account's retention (content cleared, contact and history kept).
 * Rows are claimed with SKIP LOCKED, so instances running it at once split the work instead of doubling it.
 */
export async function purgeExpiredQuarantine(
  deps: ServiceDeps,
  now: Date = nowOf(deps),
  batchSize = 500,
): Promise<number> {
  let total = 0;
  for (;;) {
    const purged = await deps.db.transaction(async (tx) => {
      const rows = await lockExpiredQuarantine(tx, now, batchSize);
      if (rows.length === 0) return 0;
      const ids = rows.map((row) => row.id);
      await purgeActivities(tx, ids, now);
      await forgetMarkContent(tx, ids);
      await cancelDeliveriesForActivities(tx, ids);
      await insertHistoryEvents(
        tx,
        rows.map((row) =>
          historyLine(
            row.account_id,
            row.contact_id,
            row.id,
            'deleted',
            { userId: null, via: 'system' },
            now,
            {
              reason: 'retention',
            },
          ),
        ),
      );
      return rows.length;
    });
    total += purged;
    if (purged < batchSize) break;
  }
  await purgeDeletedContent(deps, now, batchSize);
  return total;
}

/** "Soft, then gone": what staff deleted keeps its content for the retention period, then only the history line stays. */
export async function purgeDeletedContent(
  deps: ServiceDeps,
  now: Date = nowOf(deps),
  batchSize = 500,
): Promise<number> {
  let total = 0;
  for (;;) {
    const cleared = await deps.db.transaction(async (tx) => {
      const rows = await lockDeletedWithContent(tx, now, batchSize);
      if (rows.length > 0) {
        const ids = rows.map((row) => row.id);
        await clearActivityContent(tx, ids);
        await forgetMarkContent(tx, ids);
      }
      return rows.length;
    });
    total += cleared;
    if (cleared < batchSize) return total;
  }
}

/** Render-token nonces past their token's lifetime can never be replayed again; the retention schedule drops them. */
export function purgeExpiredNonces(deps: ServiceDeps, now: Date = nowOf(deps)): Promise<number> {
  return deleteExpiredNonces(deps.db, now);
}
