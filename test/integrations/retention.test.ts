// The retention job's scheduling: one instance purges at a time (advisory lock), the others skip the round.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { CompiledConfigCache } from '../../src/engine/compile.ts';
import { runRetention, startRetentionSchedule } from '../../src/jobs/retention.ts';
import { purgeExpiredQuarantine } from '../../src/services/review.ts';
import type { PurgeExpiredQuarantine } from '../../src/jobs/retention.ts';
import { hasPostgres } from '../support/services.ts';
import { openPgliteTestDb, openPostgresTestDb, seedLead } from './support/test-db.ts';
import type { TestDb } from './support/test-db.ts';

const postgresUp = await hasPostgres();

/** The services' own purge, run in the retention job's transaction (its nested transactions reuse it). */
const purgeOld: PurgeExpiredQuarantine = (tx, now) =>
  purgeExpiredQuarantine({ db: tx, configCache: new CompiledConfigCache() }, now);

const backends = [
  { name: 'PGlite', open: openPgliteTestDb, skip: false },
  { name: 'PostgreSQL', open: openPostgresTestDb, skip: !postgresUp },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`retention on ${backend.name}`, () => {
    let testDb: TestDb;
    let db: Db;

    beforeAll(async () => {
      testDb = await backend.open();
      db = testDb.db;
    });

    afterAll(async () => {
      await testDb.close();
    });

    it('purges quarantined leads past retention and keeps the rest', async () => {
      const old = await seedLead(db, { status: 'quarantined' });
      const fresh = await seedLead(db, { status: 'quarantined' });
      const active = await seedLead(db);
      const now = new Date();
      await db.query('UPDATE activities SET status_changed_at = $2 WHERE id = $1', [
        old.activityId,
        new Date(now.getTime() - 31 * 24 * 3600_000),
      ]);
      expect(await runRetention(db, purgeOld, now)).toEqual({ ran: true, purged: 1 });
      const left = await db.query<{ id: string }>(
        "SELECT id FROM activities WHERE id = ANY($1::uuid[]) AND status <> 'deleted'",
        [[old.activityId, fresh.activityId, active.activityId]],
      );
      expect(left.map((r) => r.id).sort()).toEqual([fresh.activityId, active.activityId].sort());
      const [purged] = await db.query<{ status: string; message: string | null }>(
        'SELECT status, message FROM activities WHERE id = $1',
        [old.activityId],
      );
      expect(purged).toEqual({ status: 'deleted', message: null });
      expect(await runRetention(db, purgeOld, now)).toEqual({ ran: true, purged: 0 });
    });

    it('runs on schedule and stops cleanly', async () => {
      const runs: unknown[] = [];
      const schedule = startRetentionSchedule({
        db,
        purge: purgeOld,
        intervalMs: 60_000,
        onRun: (run) => runs.push(run),
      });
      await schedule.stop();
      expect(runs).toEqual([{ ran: true, purged: 0 }]);
    });
  });
}

describe.skipIf(!postgresUp)('retention across instances on PostgreSQL', () => {
  let testDb: TestDb;

  beforeAll(async () => {
    testDb = await openPostgresTestDb();
  });

  afterAll(async () => {
    await testDb.close();
  });

  it('lets one instance purge while the others skip the round instead of queueing', async () => {
    let release: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slowPurge: PurgeExpiredQuarantine = async () => {
      entered();
      await holding;
      return 7;
    };
    const first = runRetention(testDb.db, slowPurge, new Date());
    await inside;
    // Two more "instances" (separate pool connections) try while the first holds the lock.
    const others = await Promise.all([
      runRetention(testDb.db, slowPurge, new Date()),
      runRetention(testDb.db, slowPurge, new Date()),
    ]);
    expect(others).toEqual([
      { ran: false, purged: 0 },
      { ran: false, purged: 0 },
    ]);
    release();
    expect(await first).toEqual({ ran: true, purged: 7 });
    // The lock is transaction-scoped: it is free again once the first run commits.
    expect(await runRetention(testDb.db, async () => 0, new Date())).toEqual({ ran: true, purged: 0 });
  });
});
