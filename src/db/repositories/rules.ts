// Rules, keywords and segments: an account's lists, read whole when its configuration is compiled.
import type { Db } from '../database.ts';
import { toNumber } from './insert-rows.ts';

export interface RuleRow {
  id: string;
  account_id: string;
  action: 'block' | 'allow';
  dimension: 'email' | 'domain' | 'phone' | 'area_code' | 'segment';
  value: string;
  note: string | null;
  hit_count: number;
  created_by: string | null;
  created_at: Date;
}

export interface KeywordRow {
  id: string;
  account_id: string;
  phrase: string;
  note: string | null;
  hit_count: number;
  created_by: string | null;
  created_at: Date;
}

export interface SegmentRow {
  id: string;
  account_id: string;
  name: string;
  definition: Record<string, unknown>;
  created_at: Date;
}

const withHits = <T extends { hit_count: number }>(row: T): T => ({
  ...row,
  hit_count: toNumber(row.hit_count),
});

export async function listRules(db: Db, accountId: string, text?: string): Promise<RuleRow[]> {
  const rows = await db.query<RuleRow>(
    `SELECT * FROM rules WHERE account_id = $1 AND ($2::text IS NULL OR strpos(value, $2) > 0 OR strpos(lower(coalesce(note, '')), $2) > 0)
     ORDER BY created_at DESC, id`,
    [accountId, text?.toLowerCase() ?? null],
  );
  return rows.map(withHits);
}

export async function findRule(db: Db, accountId: string, id: string): Promise<RuleRow | undefined> {
  const [row] = await db.query<RuleRow>('SELECT * FROM rules WHERE account_id = $1 AND id = $2', [
    accountId,
    id,
  ]);
  return row && withHits(row);
}

/** Returns the row, or undefined when the same rule already exists (never overwritten). */
export async function insertRule(
  db: Db,
  row: Pick<RuleRow, 'id' | 'account_id' | 'action' | 'dimension' | 'value' | 'note' | 'created_by'>,
): Promise<RuleRow | undefined> {
  const [inserted] = await db.query<RuleRow>(
    `INSERT INTO rules (id, account_id, action, dimension, value, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (account_id, action, dimension, value) DO NOTHING RETURNING *`,
    [row.id, row.account_id, row.action, row.dimension, row.value, row.note, row.created_by],
  );
  return inserted && withHits(inserted);
}

export async function updateRule(
  db: Db,
  accountId: string,
  id: string,
  patch: { action?: string; value?: string; note?: string | null },
): Promise<RuleRow | undefined> {
  const [row] = await db.query<RuleRow>(
    `UPDATE rules SET action = COALESCE($3, action), value = COALESCE($4, value),
       note = CASE WHEN $5::boolean THEN $6 ELSE note END
     WHERE account_id = $1 AND id = $2 RETURNING *`,
    [accountId, id, patch.action ?? null, patch.value ?? null, patch.note !== undefined, patch.note ?? null],
  );
  return row && withHits(row);
}

export async function deleteRule(db: Db, accountId: string, id: string): Promise<RuleRow | undefined> {
  const [row] = await db.query<RuleRow>('DELETE FROM rules WHERE account_id = $1 AND id = $2 RETURNING *', [
    accountId,
    id,
  ]);
  return row;
}

export async function listKeywords(db: Db, accountId: string, text?: string): Promise<KeywordRow[]> {
  const rows = await db.query<KeywordRow>(
    `SELECT * FROM keywords WHERE account_id = $1 AND ($2::text IS NULL OR strpos(lower(phrase), $2) > 0)
     ORDER BY created_at DESC, id`,
    [accountId, text?.toLowerCase() ?? null],
  );
  return rows.map(withHits);
}

export async function insertKeyword(
  db: Db,
  row: Pick<KeywordRow, 'id' | 'account_id' | 'phrase' | 'note' | 'created_by'>,
): Promise<KeywordRow | undefined> {
  const [inserted] = await db.query<KeywordRow>(
    `INSERT INTO keywords (id, account_id, phrase, note, created_by) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (account_id, phrase) DO NOTHING RETURNING *`,
    [row.id, row.account_id, row.phrase, row.note, row.created_by],
  );
  return inserted && withHits(inserted);
}

export async function updateKeyword(
  db: Db,
  accountId: string,
  id: string,
  patch: { phrase?: string; note?: string | null },
): Promise<KeywordRow | undefined> {
  const [row] = await db.query<KeywordRow>(
    `UPDATE keywords SET phrase = COALESCE($3, phrase), note = CASE WHEN $4::boolean THEN $5 ELSE note END
     WHERE account_id = $1 AND id = $2 RETURNING *`,
    [accountId, id, patch.phrase ?? null, patch.note !== undefined, patch.note ?? null],
  );
  return row && withHits(row);
}

export async function deleteKeyword(db: Db, accountId: string, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM keywords WHERE account_id = $1 AND id = $2 RETURNING id', [
    accountId,
    id,
  ]);
  return rows.length > 0;
}

export async function listSegments(db: Db, accountId: string, text?: string): Promise<SegmentRow[]> {
  return db.query<SegmentRow>(
    `SELECT * FROM segments WHERE account_id = $1 AND ($2::text IS NULL OR strpos(lower(name), $2) > 0) ORDER BY name`,
    [accountId, text?.toLowerCase() ?? null],
  );
}

export async function insertSegment(
  db: Db,
  row: Pick<SegmentRow, 'id' | 'account_id' | 'name' | 'definition'>,
): Promise<SegmentRow | undefined> {
  const [inserted] = await db.query<SegmentRow>(
    `INSERT INTO segments (id, account_id, name, definition) VALUES ($1, $2, $3, $4::jsonb)
     ON CONFLICT (account_id, name) DO NOTHING RETURNING *`,
    [row.id, row.account_id, row.name, JSON.stringify(row.definition)],
  );
  return inserted;
}

export async function updateSegment(
  db: Db,
  accountId: string,
  id: string,
  patch: { name?: string; definition?: Record<string, unknown> },
): Promise<SegmentRow | undefined> {
  const [row] = await db.query<SegmentRow>(
    `UPDATE segments SET name = COALESCE($3, name), definition = COALESCE($4::jsonb, definition)
     WHERE account_id = $1 AND id = $2 RETURNING *`,
    [accountId, id, patch.name ?? null, patch.definition ? JSON.stringify(patch.definition) : null],
  );
  return row;
}

export async function deleteSegment(db: Db, accountId: string, id: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM segments WHERE account_id = $1 AND id = $2 RETURNING id', [
    accountId,
    id,
  ]);
  return rows.length > 0;
}

/** Adds a batch's rule hits, matched by the value the rule check reports; another account's rules are never touched. */
export async function addRuleHits(
  db: Db,
  hits: readonly { account_id: string; action: string; value: string; hits: number }[],
): Promise<void> {
  if (hits.length === 0) return;
  await db.query(
    `UPDATE rules t SET hit_count = t.hit_count + h.hits
     FROM jsonb_to_recordset($1::jsonb) AS h(account_id uuid, action text, value text, hits int)
     WHERE t.account_id = h.account_id AND t.action = h.action AND t.value = h.value`,
    [JSON.stringify(hits)],
  );
}

export async function addKeywordHits(
  db: Db,
  hits: readonly { account_id: string; phrase: string; hits: number }[],
): Promise<void> {
  if (hits.length === 0) return;
  await db.query(
    `UPDATE keywords t SET hit_count = t.hit_count + h.hits
     FROM jsonb_to_recordset($1::jsonb) AS h(account_id uuid, phrase text, hits int)
     WHERE t.account_id = h.account_id AND t.phrase = h.phrase`,
    [JSON.stringify(hits)],
  );
}
