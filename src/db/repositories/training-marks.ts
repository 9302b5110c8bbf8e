// Training marks: each spam / not-spam decision by staff (or automatic), undone rather than deleted.
import type { Db } from '../database.ts';

export interface TrainingMarkRow {
  id: string;
  account_id: string;
  activity_id: string | null;
  label: 'spam' | 'ham';
  source: 'user' | 'auto';
  by_user_id: string | null;
  sample: Record<string, unknown> | null;
  created_at: Date;
}

/** Undoes the activity's earlier marks (a new decision replaces them) and records the new one. */
export async function replaceTrainingMark(db: Db, row: TrainingMarkRow): Promise<void> {
  if (row.activity_id)
    await db.query(
      `UPDATE training_marks SET undone_at = $3 WHERE account_id = $1 AND activity_id = $2 AND undone_at IS NULL`,
      [row.account_id, row.activity_id, row.created_at],
    );
  await db.query(
    `INSERT INTO training_marks (id, account_id, activity_id, label, source, by_user_id, sample, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [
      row.id,
      row.account_id,
      row.activity_id,
      row.label,
      row.source,
      row.by_user_id,
      row.sample ? JSON.stringify(row.sample) : null,
      row.created_at,
    ],
  );
}

export async function listActiveTrainingMarks(
  db: Db,
  accountId: string,
): Promise<Pick<TrainingMarkRow, 'id' | 'activity_id' | 'label' | 'source'>[]> {
  return db.query(
    `SELECT id, activity_id, label, source FROM training_marks
     WHERE account_id = $1 AND undone_at IS NULL ORDER BY created_at, id`,
    [accountId],
  );
}

/** Returns how many marks it undid. */
export async function undoTrainingMarks(
  db: Db,
  accountId: string,
  activityId: string,
  at: Date,
): Promise<number> {
  const rows = await db.query(
    `UPDATE training_marks SET undone_at = $3 WHERE account_id = $1 AND activity_id = $2 AND undone_at IS NULL RETURNING id`,
    [accountId, activityId, at],
  );
  return rows.length;
}
