// The database handle every repository speaks SQL through: PGlite in a data folder (or in memory), or a PostgreSQL server via a pg Pool.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';
import { lockDataFolder } from './data-folder-lock.ts';
import { runMigrations } from './migrate.ts';
import { CommitOutcomeUnknownError, isDatabaseUnavailable } from './unavailable.ts';

export interface QueryOptions {
  /**
   * On a PostgreSQL server, the name under which each connection keeps the statement parsed after its first run, so
   * later runs send only the values (intake's batch insert: 3.0 ms of the database's time a batch against 3.4).
   * Only for statements whose answer never depends on a table's columns (no `*`, no `RETURNING` of whole rows): a
   * kept statement fails once a migration changes the columns it answers with. PGlite ignores it.
   */
  readonly prepared?: string;
}

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` in one transaction; inside it, `tx` is the only handle to use. Nested calls reuse the open transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A postgres:// URL: use that server. */
  readonly databaseUrl?: string;
  /** The embedded store's folder; without one (and without a URL) the store lives in memory. */
  readonly dataDir?: string;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
  /** Pool size for PostgreSQL (default 10). */
  readonly poolSize?: number;
}

/** A promise chain: PGlite is one connection, so a transaction must not interleave with anyone else's statements. */
class Mutex {
  #tail: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

function pgliteTxDb(tx: Transaction): Db {
  const self: Db = {
    kind: 'pglite',
    async query<T>(sql: string, params?: readonly unknown[]) {
      return (await tx.query<T>(sql, params ? [...params] : undefined)).rows;
    },
    async exec(sql: string) {
      await tx.exec(sql);
    },
    transaction: (fn) => fn(self),
    close: () => Promise.reject(new Error('cannot close the database from inside a transaction')),
  };
  return self;
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  let release: (() => Promise<void>) | undefined;
  if (dataDir) {
    const folder = resolve(dataDir);
    mkdirSync(folder, { recursive: true });
    release = await lockDataFolder(folder);
  }
  let lite: PGlite;
  // pg_trgm backs the panel's search index (migration 0003); PostgreSQL servers ship it as a contrib extension.
  const extensions = { pg_trgm };
  try {
    lite = dataDir
      ? await PGlite.create(resolve(dataDir, 'pgdata'), { extensions })
      : await PGlite.create({ extensions });
  } catch (error) {
    await release?.();
    throw error;
  }
  const mutex = new Mutex();
  let closed = false;
  return {
    kind: 'pglite',
    query: <T>(sql: string, params?: readonly unknown[]) =>
      mutex.run(async () => (await lite.query<T>(sql, params ? [...params] : undefined)).rows),
    exec: (sql: string) => mutex.run(async () => void (await lite.exec(sql))),
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      mutex.run(() => lite.transaction((tx) => fn(pgliteTxDb(tx)))),
    async close() {
      if (closed) return;
      closed = true;
      await mutex.run(() => lite.close());
      await release?.();
    },
  };
}

function statement(
  sql: string,
  params: readonly unknown[] | undefined,
  options?: QueryOptions,
): pg.QueryConfig {
  return { text: sql, values: params ? [...params] : undefined, name: options?.prepared };
}

function clientDb(client: pg.PoolClient): Db {
  const self: Db = {
    kind: 'postgres',
    async query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      return (await client.query(statement(sql, params, options))).rows as T[];
    },
    async exec(sql: string) {
      await client.query(sql);
    },
    transaction: (fn) => fn(self),
    close: () => Promise.reject(new Error('cannot close the database from inside a transaction')),
  };
  return self;
}

function openPostgres(databaseUrl: string, poolSize: number): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    // A server that does not answer at all (a network partition), or a pool exhausted that long, answers 503, not a hung request.
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let closed = false;
  return {
    kind: 'postgres',
    async query<T>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      return (await pool.query(statement(sql, params, options))).rows as T[];
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(fn: (tx: Db) => Promise<T>) {
      const client = await pool.connect();
      // A checked-out client has no pool listener: a connection dropped between statements would crash the process.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        try {
          await client.query('COMMIT');
        } catch (error) {
          // A server error to COMMIT means it rolled back; a lost connection leaves the outcome unknown.
          throw isDatabaseUnavailable(error) ? new CommitOutcomeUnknownError(error) : error;
        }
        return result;
      } catch (error) {
        if (!broken && !isDatabaseUnavailable(error)) await client.query('ROLLBACK').catch(() => undefined);
        else broken ??= error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.removeListener('error', onError);
        // With an error the pool discards the client instead of handing out a dead connection.
        client.release(broken);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Opens the store `DATABASE_URL` or the data folder names, and brings its schema up to date. */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Db> {
  const db = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : await openPglite(options.dataDir);
  if (options.migrate !== false) {
    try {
      await runMigrations(db);
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error;
    }
  }
  return db;
}
