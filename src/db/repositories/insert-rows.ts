// Multi-row INSERT through one jsonb parameter: one statement for a whole batch, the same SQL on PGlite and on PostgreSQL.
import type { Db } from '../database.ts';

export type ColumnSpec = readonly (readonly [name: string, sqlType: string])[];

/** Builds `INSERT INTO table (cols) SELECT cols FROM jsonb_to_recordset($n)`; `suffix` adds ON CONFLICT / RETURNING. */
export function buildInsert(table: string, columns: ColumnSpec, suffix = '', param = 1): string {
  const names = columns.map(([name]) => name).join(', ');
  const types = columns.map(([name, type]) => `${name} ${type}`).join(', ');
  return `INSERT INTO ${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($${param}::jsonb) AS r(${types}) ${suffix}`;
}

export async function insertRows<T = never>(db: Db, sql: string, rows: readonly object[]): Promise<T[]> {
  if (rows.length === 0) return [];
  return db.query<T>(sql, [JSON.stringify(rows)]);
}

/** bigint columns come back as numbers from PGlite and as strings from pg. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value ?? 0);
}

export function toIso(value: unknown): string | undefined {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? new Date(value).toISOString() : undefined;
}
