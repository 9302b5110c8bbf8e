// The append-only history: one line per thing that happened to a contact or an activity.
import type { Db } from '../database.ts';
import { buildInsert, insertRows } from './insert-rows.ts';

export interface HistoryEventRow {
  id: string;
  account_id: string;
  contact_id: string | null;
  activity_id: string | null;
  type: string;
  actor_user_id: string | null;
  via: 'panel' | 'api' | 'email_link' | 'akismet' | 'system';
  detail: Record<string, unknown>;
  at: string;
}

export const historyColumns = [
  ['id', 'uuid'],
  ['account_id', 'uuid'],
  ['contact_id', 'uuid'],
  ['activity_id', 'uuid'],
  ['type', 'text'],
  ['actor_user_id', 'uuid'],
  ['via', 'text'],
  ['detail', 'jsonb'],
  ['at', 'timestamptz'],
] as const;
const insertSql = buildInsert('history_events', historyColumns);

export async function insertHistoryEvents(db: Db, rows: readonly HistoryEventRow[]): Promise<void> {
  await insertRows(db, insertSql, rows);
}

export async function listContactHistory(
  db: Db,
  accountId: string,
  contactId: string,
  limit = 500,
): Promise<(Omit<HistoryEventRow, 'at'> & { at: Date })[]> {
  return db.query(
    `SELECT * FROM history_events WHERE account_id = $1 AND contact_id = $2 ORDER BY at DESC, id DESC LIMIT $3`,
    [accountId, contactId, limit],
  );
}

export async function listActivityHistory(
  db: Db,
  accountId: string,
  activityId: string,
): Promise<(Omit<HistoryEventRow, 'at'> & { at: Date })[]> {
  return db.query(`SELECT * FROM history_events WHERE account_id = $1 AND activity_id = $2 ORDER BY at, id`, [
    accountId,
    activityId,
  ]);
}
