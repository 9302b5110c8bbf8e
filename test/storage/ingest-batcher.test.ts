import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { createIngestBatcher, createItem } from '../../src/services/index.ts';
import type { IngestInput } from '../../src/services/ingest.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead, spamLead } from './fixtures.ts';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** The database, with every transaction counted and held at `hold` until it opens. */
function heldTransactions(db: Db, hold: Promise<void>) {
  const count = { started: 0 };
  let started = gate();
  const held: Db = {
    ...db,
    kind: db.kind,
    query: (sql, params) => db.query(sql, params),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
    async transaction(fn) {
      count.started += 1;
      started.open();
      started = gate();
      await hold;
      return db.transaction(fn);
    },
  };
  return { db: held, count, nextStart: () => started.opened };
}

describeEachDatabase('ingest batcher', (getDb) => {
  it('answers a submitter once its lead is committed, while the hit counts are still being written', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Prompt Motors');
    await createItem(base, 'keywords', tenant.accountId, { phrase: 'casino' }, { userId: null, via: 'api' });
    const hits = gate();
    const db: Db = {
      ...base.db,
      kind: base.db.kind,
      transaction: (fn) => base.db.transaction(fn),
      exec: (sql) => base.db.exec(sql),
      close: () => base.db.close(),
      async query(sql, params) {
        if (sql.includes('UPDATE keywords')) await hits.opened;
        return base.db.query(sql, params);
      },
    };
    const batcher = createIngestBatcher({ ...base, db });
    const result = await batcher.ingest({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: spamLead(1),
      receivedAt: new Date(),
    });
    expect(result.verdict.outcome).toBe('quarantine');
    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(drained).toBe(false);
    hits.open();
    await draining;
    const [keyword] = await getDb().query<{ hit_count: number }>(
      'SELECT hit_count FROM keywords WHERE account_id = $1',
      [tenant.accountId],
    );
    expect(Number(keyword?.hit_count)).toBe(1);
  });

  it('starts a second transaction beside one in flight only when enough leads wait', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Queue Motors');
    const hold = gate();
    const counted = heldTransactions(base.db, hold.opened);
    const batcher = createIngestBatcher(
      { ...base, db: counted.db },
      { concurrency: 2, parallelFrom: 4, maxWaitMs: 0 },
    );
    const input = (n: number): IngestInput => ({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(n),
      receivedAt: new Date(),
    });
    const firstStarted = counted.nextStart();
    const results = [batcher.ingest(input(1))];
    await firstStarted;
    // Three wait behind the held commit: too few for a transaction of their own.
    for (const n of [2, 3, 4]) results.push(batcher.ingest(input(n)));
    const secondStarted = counted.nextStart();
    // The fourth makes enough: a second transaction starts while the first is still held.
    results.push(batcher.ingest(input(5)));
    await secondStarted;
    expect(counted.count.started).toBe(2);
    hold.open();
    const outputs = await Promise.all(results);
    await batcher.drain();
    expect(new Set(outputs.map((o) => o.activityId)).size).toBe(5);
    expect(counted.count.started).toBe(2);
  });
});
