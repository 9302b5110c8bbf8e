// What a training mark taught the model (its `sample`): claimed once for learning, once for unlearning, so two instances never apply a mark twice.
import type { Db } from '../database.ts';

export interface MarkSampleRow {
  id: string;
  label: 'spam' | 'ham';
  source: 'user' | 'auto';
  sample: Record<string, unknown> | null;
  undone: boolean;
}

/** Every mark on the activity, oldest first, undone ones included (they may still need unlearning). */
export async function listActivityMarkSamples(
  db: Db,
  accountId: string,
  activityId: string,
): Promise<MarkSampleRow[]> {
  return db.query<MarkSampleRow>(
    `SELECT id, label, source, sample, undone_at IS NOT NULL AS undone FROM training_marks
     WHERE account_id = $1 AND activity_id = $2 ORDER BY created_at, id`,
    [accountId, activityId],
  );
}

export async function findMarkSample(
  db: Db,
  accountId: string,
  id: string,
): Promise<MarkSampleRow | undefined> {
  const rows = await db.query<MarkSampleRow>(
    `SELECT id, label, source, sample, undone_at IS NOT NULL AS undone FROM training_marks
     WHERE account_id = $1 AND id = $2`,
    [accountId, id],
  );
  return rows[0];
}

/** Sets `flag` in the mark's sample unless it is already set; true when this caller set it. */
export async function claimMarkSample(
  db: Db,
  accountId: string,
  id: string,
  flag: 'learning' | 'unlearned',
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE training_marks SET sample = coalesce(sample, '{}'::jsonb) || jsonb_build_object($3::text, true)
     WHERE account_id = $1 AND id = $2 AND NOT coalesce(sample ? $3::text, false) RETURNING id`,
    [accountId, id, flag],
  );
  return rows.length > 0;
}

/** Merges `patch` into the mark's sample. */
export async function patchMarkSample(
  db: Db,
  accountId: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  await db.query(
    `UPDATE training_marks SET sample = coalesce(sample, '{}'::jsonb) || $3::jsonb WHERE account_id = $1 AND id = $2`,
    [accountId, id, JSON.stringify(patch)],
  );
}

/** Drops the lead's content from its marks' samples once the lead itself is purged: retention covers the copy too. */
export async function forgetMarkContent(db: Db, activityIds: readonly string[]): Promise<void> {
  await db.query(
    `UPDATE training_marks SET sample = sample - 'lead'
     WHERE activity_id = ANY($1::uuid[]) AND sample IS NOT NULL AND jsonb_exists(sample, 'lead')`,
    [activityIds],
  );
}

export interface LearnedMarkRow {
  id: string;
  label: 'spam' | 'ham';
  sample: Record<string, unknown>;
  created_at: Date;
}

/**
 * Staff marks in force whose lead is still kept with them, oldest first, a page after `after`: what a global model
 * starting again from a new base model learns again.
 */
export async function listLearnedUserMarks(
  db: Db,
  after: { readonly createdAt: Date; readonly id: string } | undefined,
  limit: number,
): Promise<LearnedMarkRow[]> {
  return db.query<LearnedMarkRow>(
    `SELECT id, label, sample, created_at FROM training_marks
     WHERE source = 'user' AND undone_at IS NULL AND sample IS NOT NULL AND jsonb_exists(sample, 'lead')
       AND ($1::timestamptz IS NULL OR (created_at, id) > ($1::timestamptz, $2::uuid))
     ORDER BY created_at, id LIMIT $3`,
    [after?.createdAt ?? null, after?.id ?? null, limit],
  );
}
