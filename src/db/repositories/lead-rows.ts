// Writes a batch of screened leads (activities, their history lines, their deliveries) in one statement: one round trip per batch.
import type { Db } from '../database.ts';
import { activityColumns } from './activities.ts';
import type { NewActivityRow } from './activities.ts';
import { deliveryColumns, deliveryConflict } from './deliveries.ts';
import type { NewDeliveryRow } from './deliveries.ts';
import { historyColumns } from './history.ts';
import type { HistoryEventRow } from './history.ts';
import { buildInsert } from './insert-rows.ts';

// Foreign keys are checked at the end of the statement, so history and deliveries may name activities inserted beside them.
const sql = `WITH inserted_activities AS (${buildInsert('activities', activityColumns, 'RETURNING 1', 1)}),
  inserted_history AS (${buildInsert('history_events', historyColumns, 'RETURNING 1', 2)})
  ${buildInsert('deliveries', deliveryColumns, deliveryConflict, 3)}`;

export async function insertLeadRows(
  db: Db,
  rows: {
    readonly activities: readonly NewActivityRow[];
    readonly history: readonly HistoryEventRow[];
    readonly deliveries: readonly NewDeliveryRow[];
  },
): Promise<void> {
  if (rows.activities.length === 0) return;
  // It answers with nothing, so a migration adding columns cannot break the statement each connection keeps.
  await db.query(
    sql,
    [JSON.stringify(rows.activities), JSON.stringify(rows.history), JSON.stringify(rows.deliveries)],
    { prepared: 'insert_lead_rows' },
  );
}
