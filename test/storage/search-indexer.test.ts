import { expect, it, vi } from 'vitest';
import { ingestLeads } from '../../src/services/ingest.ts';
import { startSearchIndexer } from '../../src/jobs/search-indexer.ts';
import type { Db } from '../../src/db/database.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead } from './fixtures.ts';

/** Stores 120 active leads of one new account, each queued for the indexer; returns a row counter for that account. */
async function storeQueuedLeads(db: Db, name: string) {
  const deps = depsFor(db);
  const t = await createTenant(deps, name);
  await ingestLeads(
    deps,
    Array.from({ length: 120 }, (_, n) => ({
      accountId: t.accountId,
      formId: t.formId,
      // A body of its own each (digits do not count): the same body from 120 senders would be quarantined, and only
      // active leads are indexed.
      lead: hamLead(n, {
        message: `${hamLead(n).message} Ask for ${'abcdefghij'[n % 10]}${'klmnopqrst'[Math.floor(n / 10) % 10]}.`,
      }),
      receivedAt: new Date(),
    })),
  );
  const count = async (table: string) =>
    (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE account_id = $1`, [
        t.accountId,
      ])
    )[0]?.n;
  return { t, count };
}

describeEachDatabase('the search indexer job', (getDb) => {
  it('works off a burst of stored leads in rounds, and stop waits for the round in hand', async () => {
    const db = getDb();
    const { t, count } = await storeQueuedLeads(db, 'Indexer Job Motors');
    expect(await count('lead_search_queue')).toBe(120);
    // Batches of 25 with no yielding: five rounds take the burst.
    const indexer = startSearchIndexer(db, { batchSize: 25, intervalMs: 5, yieldForMs: 0 });
    try {
      await vi.waitFor(async () => expect(await count('lead_search')).toBe(120), {
        timeout: 20_000,
        interval: 50,
      });
    } finally {
      await indexer.stop();
    }
    expect(await count('lead_search_queue')).toBe(0);
    // The indexed text is the lead's, lower-cased.
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM lead_search WHERE account_id = $1 AND body LIKE $2`,
      [t.accountId, '%pat buyer 7 pat7@buyer.example%is the blue 2021 corolla still available%'],
    );
    expect(row?.n).toBe(1);
  });

  it('takes a round in steps of their own transaction, so other work runs between them', async () => {
    const db = getDb();
    const { count } = await storeQueuedLeads(db, 'Indexer Step Motors');
    const indexer = startSearchIndexer(db, { batchSize: 120, stepSize: 10, intervalMs: 5, yieldForMs: 0 });
    const seen = new Set<number>();
    try {
      // Read at every turn of the event loop (as requests arrive): between two steps the reads see each committed
      // step. (PGlite answers without I/O, so a loop that never yields would keep the indexer's timer from firing.)
      const giveUpAt = Date.now() + 20_000;
      for (let n = 0; n !== 120 && Date.now() < giveUpAt; seen.add(n)) {
        await new Promise((resolve) => setImmediate(resolve));
        n = (await count('lead_search')) ?? 0;
      }
    } finally {
      await indexer.stop();
    }
    expect(seen.has(120)).toBe(true);
    const between = [...seen].filter((n) => n > 0 && n < 120);
    expect(between.length).toBeGreaterThan(0);
    for (const n of between) expect(n % 10).toBe(0);
  });
});
