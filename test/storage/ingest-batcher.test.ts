import { expect, it } from 'vitest';
import type { Db } from '../../src/db/database.ts';
import { createIngestBatcher, createItem } from '../../src/services/index.ts';
import type { IngestInput } from '../../src/services/ingest.ts';
import type { IngestLane } from '../../src/services/ingest-batcher.ts';
import { createDomainServices } from '../../src/services/http-services.ts';
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

  it('commits the legitimate leads waiting before a flood, whose leads then go together in one transaction', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Flood Motors');
    const hold = gate();
    const counted = heldTransactions(base.db, hold.opened);
    const batcher = createIngestBatcher(
      { ...base, db: counted.db },
      { concurrency: 1, maxWaitMs: 0, overLimitWaitMs: 0, overLimitBatch: 50 },
    );
    const answered: string[] = [];
    const send = (label: string, input: IngestInput, lane: IngestLane) =>
      batcher.ingest(input, lane).then((output) => {
        answered.push(label);
        return output;
      });
    const ham = (n: number): IngestInput => ({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(n),
      receivedAt: new Date(),
    });
    const flood = (n: number): IngestInput => ({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: spamLead(n, { ip: '203.0.113.66' }),
      ipCount: 300 + n,
      receivedAt: new Date(),
    });
    const firstStarted = counted.nextStart();
    const results = [send('ham 1', ham(1), 'normal')];
    await firstStarted;
    // While the first commit is held, a flood arrives, then two legitimate leads.
    for (const n of [1, 2, 3, 4, 5]) results.push(send(`flood ${n}`, flood(n), 'over_limit'));
    for (const n of [2, 3]) results.push(send(`ham ${n}`, ham(n), 'normal'));
    hold.open();
    const outputs = await Promise.all(results);
    await batcher.drain();
    expect(answered.slice(0, 3).sort()).toEqual(['ham 1', 'ham 2', 'ham 3']);
    // One transaction for the first lead, one for the two that waited, one for the whole flood.
    expect(counted.count.started).toBe(3);
    expect(outputs.slice(1, 6).map((o) => o.verdict.signals[0]?.check)).toEqual(Array(5).fill('frequency'));
    const [stored] = await getDb().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM activities
       WHERE account_id = $1 AND status = 'quarantined' AND main_check = 'frequency'`,
      [tenant.accountId],
    );
    expect(stored?.n).toBe(5);
  });

  it('gives a flood lead the next transaction once it has waited its longest, even while legitimate leads wait', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Patient Motors');
    const hold = gate();
    const counted = heldTransactions(base.db, hold.opened);
    const batcher = createIngestBatcher(
      { ...base, db: counted.db },
      { concurrency: 1, maxWaitMs: 0, overLimitWaitMs: 0, overLimitMaxDelayMs: 0 },
    );
    const answered: string[] = [];
    const input = (n: number): IngestInput => ({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: hamLead(n),
      ipCount: 400,
      receivedAt: new Date(),
    });
    const firstStarted = counted.nextStart();
    const results = [batcher.ingest(input(1)).then(() => answered.push('first'))];
    await firstStarted;
    results.push(batcher.ingest(input(2), 'over_limit').then(() => answered.push('flood')));
    results.push(batcher.ingest(input(3)).then(() => answered.push('legitimate')));
    hold.open();
    await Promise.all(results);
    expect(answered).toEqual(['first', 'flood', 'legitimate']);
  });

  it('starts no flood transaction beside a legitimate lead in flight, even with a slot free', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Side By Side Motors');
    const hold = gate();
    const counted = heldTransactions(base.db, hold.opened);
    const batcher = createIngestBatcher(
      { ...base, db: counted.db },
      { concurrency: 2, maxWaitMs: 0, overLimitWaitMs: 0, overLimitMaxDelayMs: 60_000 },
    );
    const input = (n: number, ipCount?: number): IngestInput => ({
      accountId: tenant.accountId,
      formId: tenant.formId,
      lead: ipCount ? spamLead(n, { ip: '203.0.113.66' }) : hamLead(n),
      ipCount,
      receivedAt: new Date(),
    });
    const firstStarted = counted.nextStart();
    const results = [batcher.ingest(input(1))];
    await firstStarted;
    results.push(batcher.ingest(input(2, 400), 'over_limit'), batcher.ingest(input(3, 401), 'over_limit'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(counted.count.started).toBe(1);
    hold.open();
    await Promise.all(results);
    await batcher.drain();
    expect(counted.count.started).toBe(2);
  });

  it('answers a committed flood batch a few leads per turn of the event loop', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Drip Motors');
    const batcher = createIngestBatcher(base, { overLimitWaitMs: 60_000, overLimitBatch: 20 });
    const order: string[] = [];
    const results = Array.from({ length: 20 }, (_, n) =>
      batcher
        .ingest(
          {
            accountId: tenant.accountId,
            formId: tenant.formId,
            lead: spamLead(n, { ip: '203.0.113.66' }),
            ipCount: 400 + n,
            receivedAt: new Date(),
          },
          'over_limit',
        )
        .then(() => {
          // Whatever another request queues once the first answers are out runs before the last answer.
          if (order.length === 0) setImmediate(() => order.push('other request'));
          order.push('flood');
        }),
    );
    await Promise.all(results);
    expect(order.filter((item) => item === 'flood')).toHaveLength(20);
    expect(order.indexOf('other request')).toBeGreaterThan(0);
    expect(order.indexOf('other request')).toBeLessThan(20);
  });

  it('commits flood leads still waiting for company when drained at shutdown', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Closing Motors');
    // Without the drain these leads would wait a minute for company.
    const batcher = createIngestBatcher(base, { overLimitWaitMs: 60_000, overLimitMaxDelayMs: 60_000 });
    const waiting = [1, 2, 3].map((n) =>
      batcher.ingest(
        {
          accountId: tenant.accountId,
          formId: tenant.formId,
          lead: spamLead(n),
          ipCount: 300 + n,
          receivedAt: new Date(),
        },
        'over_limit',
      ),
    );
    await batcher.drain();
    const outputs = await Promise.all(waiting);
    expect(outputs.map((o) => o.verdict.outcome)).toEqual(['quarantine', 'quarantine', 'quarantine']);
    const [stored] = await getDb().query<{ n: number }>(
      'SELECT count(*)::int AS n FROM activities WHERE account_id = $1',
      [tenant.accountId],
    );
    expect(stored?.n).toBe(3);
  });

  it('puts an Akismet check from a busy address behind a legitimate one that came after it', async () => {
    const base = depsFor(getDb());
    const tenant = await createTenant(base, 'Comment Motors');
    const hold = gate();
    const counted = heldTransactions(base.db, hold.opened);
    const services = createDomainServices(
      { ...base, db: counted.db },
      { concurrency: 1, maxWaitMs: 0, overLimitWaitMs: 0 },
    );
    const principal = { kind: 'api_key', keyId: 'key', accountId: tenant.accountId, role: 'admin' } as const;
    const answered: string[] = [];
    const check = (label: string, n: number, ip: string, ipCount: number) =>
      services
        .checkComment({
          principal,
          lead: hamLead(n, { channel: 'akismet', ip }),
          facts: { ipCount },
          isTest: false,
          receivedAt: new Date(),
        })
        .then(() => answered.push(label));
    const firstStarted = counted.nextStart();
    const results = [check('first', 1, '198.51.100.1', 1)];
    await firstStarted;
    // While the first commit is held: a comment from an address past a tenth of the limit, then an ordinary one.
    results.push(check('busy', 2, '203.0.113.9', 40), check('ordinary', 3, '198.51.100.3', 1));
    hold.open();
    await Promise.all(results);
    await services.drain();
    expect(answered).toEqual(['first', 'ordinary', 'busy']);
  });
});
