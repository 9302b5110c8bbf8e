// Runs one describe block once per database: PGlite in memory and, when it answers, PostgreSQL in a fresh schema of its own.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import type { Db } from '../../src/db/database.ts';
import { hasPostgres, postgresUrl } from './services.ts';

export type DatabaseKind = 'pglite' | 'postgres';

const postgresAvailable = await hasPostgres();

/** A URL whose connections use only `schema`, so test files running in parallel never see each other's tables. */
export function schemaUrl(schema: string): string {
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** A fresh, empty PostgreSQL schema and a function that drops it. */
export async function createTestSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    url: schemaUrl(schema),
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/** Opens a migrated database of the kind; `close` also removes a PostgreSQL test schema. */
export async function openTestDatabase(kind: DatabaseKind): Promise<{ db: Db; close: () => Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openDatabase();
    return { db, close: () => db.close() };
  }
  const schema = await createTestSchema();
  const db = await openDatabase({ databaseUrl: schema.url, poolSize: 5 });
  return {
    db,
    async close() {
      await db.close();
      await schema.drop();
    },
  };
}

/**
 * `describe(title)` once per database. The body gets a getter for the open database (opened before
 * its tests, closed after); PostgreSQL runs skip with a notice locally when no server answers, and fail in CI.
 */
export function describeEachDatabase(
  title: string,
  body: (getDb: () => Db, kind: DatabaseKind) => void,
): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    describe.skipIf(kind === 'postgres' && !postgresAvailable)(`${title} [${kind}]`, () => {
      let opened: { db: Db; close: () => Promise<void> } | undefined;
      beforeAll(async () => {
        opened = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await opened?.close();
      });
      body(() => {
        if (!opened) throw new Error('the test database is not open yet');
        return opened.db;
      }, kind);
    });
  }
}
