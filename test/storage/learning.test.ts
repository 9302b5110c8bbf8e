import { beforeEach, expect, it } from 'vitest';
import { loadModel } from '../../src/classifier/model-file.ts';
import { SpamClassifier } from '../../src/classifier/spam-classifier.ts';
import { screenForClassifier } from '../../src/classifier/training.ts';
import type { Db } from '../../src/db/database.ts';
import { forgetMarkContent, listActivityMarkSamples } from '../../src/db/repositories/mark-samples.ts';
import type { Lead } from '../../src/engine/types.ts';
import {
  ingestLead,
  markNotSpam,
  markSpam,
  purgeExpiredQuarantine,
  reportComment,
  undoTrainingMark,
} from '../../src/services/index.ts';
import type { ServiceDeps } from '../../src/services/index.ts';
import { openModelStore } from '../../src/services/model-store.ts';
import type { ModelStore } from '../../src/services/model-store.ts';
import { describeEachDatabase } from '../support/databases.ts';
import { createTenant, depsFor, hamLead } from './fixtures.ts';

const staff = { userId: null, via: 'panel' } as const;
/** An account with no marks of its own screens with the global model alone. */
const unmarked = '00000000-0000-4000-8000-000000000009';

/** A polite enquiry the shipped base model takes for ham; this account's staff know it as spam. */
const tacomaLead = (n: number): Lead => ({
  channel: 'form',
  name: 'Marvin Oduya',
  email: `marvin.oduya${n}@mailbox.example`,
  message: `Hello, I would like to know if the 2019 Tacoma is still on the lot. My cousin Marvin Oduya sent me, ask for quote number QX-${n}.`,
});

const minivanLead = (n: number): Lead => ({
  channel: 'form',
  name: `Marvin ${n}`,
  email: `marvin${n}@family.example`,
  message: `Good afternoon, we are a family looking for a minivan. Could someone call me back about the Odyssey? Thanks, Marvin ${n}`,
});

const spanishLead = (n: number): Lead => ({
  channel: 'form',
  name: 'Lucía Fernández',
  email: `lucia.f${n}@correo.example`,
  message: `Buenos días, quisiera información sobre financiamiento para la camioneta Explorer. Saludos, folio ${n}`,
});

async function openStore(db: Db, base?: SpamClassifier): Promise<ModelStore> {
  // Each store gets its own copy: the store learns into the model it starts from.
  return openModelStore({ db, base: base ?? (await loadModel()), pollMs: 0, snapshotDelayMs: 60_000 });
}

async function logitOf(store: ModelStore, accountId: string, lead: Lead): Promise<number> {
  const screened = screenForClassifier(lead, { now: Date.UTC(2026, 10, 23) });
  return (await store.modelFor(accountId)).predictLogit(screened.prepared, screened.signals);
}

describeEachDatabase('learning from marks', (getDb) => {
  let store: ModelStore | undefined;
  beforeEach(async () => {
    // Each test starts from the shipped base model, not from what an earlier test taught.
    await getDb().query('DELETE FROM models');
    return async () => {
      await store?.close();
      store = undefined;
    };
  });

  async function setup(name: string) {
    store = await openStore(getDb());
    const deps: ServiceDeps = { ...depsFor(getDb()), learning: store };
    const tenant = await createTenant(deps, name);
    const ingest = (lead: Lead) =>
      ingestLead(deps, { accountId: tenant.accountId, formId: tenant.formId, lead, receivedAt: new Date() });
    return { deps, tenant, ingest, store };
  }

  it('quarantines a lead the base model let through once staff mark enough similar leads as spam', async () => {
    const { deps, tenant, ingest } = await setup('Tacoma Motors');
    const before = await ingest(tacomaLead(900));
    expect(before.verdict.outcome).toBe('ham');
    for (let n = 0; n < 12; n++) {
      const lead = await ingest(tacomaLead(n));
      expect(await markSpam(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
      const [mark] = await listActivityMarkSamples(deps.db, tenant.accountId, lead.activityId);
      expect(mark?.sample).toMatchObject({
        receipts: { global: { label: 'spam' }, account: { label: 'spam' } },
      });
    }
    const after = await ingest(tacomaLead(901));
    expect(after.verdict.outcome).toBe('quarantine');
    const signal = after.verdict.signals.find((s) => s.check === 'classifier');
    expect(signal?.score).toBeGreaterThanOrEqual(5);
  });

  it('forgets the lead content kept with a mark once retention purges the lead', async () => {
    const { deps, tenant, ingest } = await setup('Retention Motors');
    const lead = await ingest(tacomaLead(3));
    await markSpam(deps, tenant.accountId, lead.activityId, staff);
    const [kept] = await listActivityMarkSamples(deps.db, tenant.accountId, lead.activityId);
    expect(kept?.sample).toHaveProperty('lead');
    const later = new Date(Date.now() + 31 * 24 * 3600 * 1000);
    expect(await purgeExpiredQuarantine(deps, later)).toBeGreaterThanOrEqual(1);
    const [purged] = await listActivityMarkSamples(deps.db, tenant.accountId, lead.activityId);
    expect(purged?.sample).not.toHaveProperty('lead');
    expect(purged?.sample).toHaveProperty('receipts');
  });

  it('a not-spam mark moves the score towards ham', async () => {
    const { deps, tenant, ingest, store } = await setup('Minivan Motors');
    const before = await logitOf(store, tenant.accountId, minivanLead(900));
    for (let n = 0; n < 3; n++) {
      const lead = await ingest(minivanLead(n));
      await markNotSpam(deps, tenant.accountId, lead.activityId, staff);
    }
    expect(await logitOf(store, tenant.accountId, minivanLead(900))).toBeLessThan(before - 0.1);
  });

  it('undoing a mark unlearns it: the score returns to where it was', async () => {
    const { deps, tenant, ingest, store } = await setup('Undo Motors');
    const lead = await ingest(tacomaLead(1));
    const before = await logitOf(store, tenant.accountId, tacomaLead(900));
    await markSpam(deps, tenant.accountId, lead.activityId, staff);
    const marked = await logitOf(store, tenant.accountId, tacomaLead(900));
    expect(marked).toBeGreaterThan(before + 0.1);
    expect(await undoTrainingMark(deps, tenant.accountId, lead.activityId, staff)).toBe(true);
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeCloseTo(before, 4);
  });

  it('marking a spam-marked lead not spam unlearns the spam mark before learning the new one', async () => {
    const { deps, tenant, ingest, store } = await setup('Change Motors');
    const lead = await ingest(tacomaLead(2));
    const before = await logitOf(store, tenant.accountId, tacomaLead(900));
    await markSpam(deps, tenant.accountId, lead.activityId, staff);
    await markNotSpam(deps, tenant.accountId, lead.activityId, staff);
    const marks = await listActivityMarkSamples(deps.db, tenant.accountId, lead.activityId);
    expect(marks.map((m) => [m.label, m.undone, m.sample?.unlearned === true])).toEqual([
      ['spam', true, true],
      ['ham', false, false],
    ]);
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeLessThan(before);
  });

  it("another account's marks move its own model and reach this account only through the global model", async () => {
    const { deps, tenant: mine, store } = await setup('Quiet Motors');
    const other = await createTenant(deps, 'Busy Motors');
    const before = await logitOf(store, mine.accountId, tacomaLead(900));
    for (let n = 0; n < 8; n++) {
      const lead = await ingestLead(deps, {
        accountId: other.accountId,
        formId: other.formId,
        lead: tacomaLead(n),
        receivedAt: new Date(),
      });
      await markSpam(deps, other.accountId, lead.activityId, staff);
    }
    const mineModel = await store.modelFor(mine.accountId);
    const otherModel = await store.modelFor(other.accountId);
    expect(mineModel.account).toBeUndefined();
    expect(otherModel.account?.examples).toBe(8);
    const screened = screenForClassifier(tacomaLead(900), { now: Date.UTC(2026, 10, 23) });
    const mineNow = mineModel.predictLogit(screened.prepared, screened.signals);
    // Only through the global model: this account's score is exactly the global one's.
    expect(mineNow).toBe(mineModel.global.predictLogit(screened.prepared, screened.signals));
    expect(mineNow).toBeGreaterThan(before);
    // Its own account model, empty (logit 0) before, now leans to spam on the pattern.
    expect(otherModel.account?.predictLogit(screened.prepared, screened.signals)).toBeGreaterThan(0.5);
  });

  it('keeps what it learned across a restart', async () => {
    const { deps, tenant, ingest, store: first } = await setup('Restart Motors');
    for (let n = 0; n < 4; n++) {
      const lead = await ingest(tacomaLead(n));
      await markSpam(deps, tenant.accountId, lead.activityId, staff);
    }
    const learned = await logitOf(first, tenant.accountId, tacomaLead(900));
    await first.close();
    // A restart with no base model at hand: everything comes from the database.
    store = await openStore(getDb(), new SpamClassifier({}, 'empty'));
    const reopened = await store.modelFor(tenant.accountId);
    expect(reopened.account?.examples).toBe(4);
    expect(reopened.global.examples).toBeGreaterThan(1000);
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeCloseTo(learned, 2);
  });

  it('keeps only the most recently used account models in memory, and reads an evicted one back as it was', async () => {
    const deps0 = depsFor(getDb());
    store = await openModelStore({
      db: getDb(),
      base: await loadModel(),
      pollMs: 0,
      snapshotDelayMs: 60_000,
      maxAccountModels: 2,
    });
    const deps: ServiceDeps = { ...deps0, learning: store };
    const tenants = [];
    for (const name of ['Evict One Motors', 'Evict Two Motors', 'Evict Three Motors']) {
      const tenant = await createTenant(deps, name);
      const lead = await ingestLead(deps, {
        accountId: tenant.accountId,
        formId: tenant.formId,
        lead: tacomaLead(tenants.length),
        receivedAt: new Date(),
      });
      await markSpam(deps, tenant.accountId, lead.activityId, staff);
      tenants.push(tenant);
    }
    const [first, second, third] = tenants.map((tenant) => tenant.accountId) as [string, string, string];
    // Used in this order, `third` becomes the least recently used.
    const thirdLearned = await logitOf(store, third, tacomaLead(900));
    await logitOf(store, second, tacomaLead(900));
    const firstLearned = await logitOf(store, first, tacomaLead(900));
    // Unsaved learning is never dropped: all three stay until their snapshots are written.
    expect(store.residentAccounts()).toEqual([third, second, first]);
    await store.flush();
    expect(store.residentAccounts()).toEqual([second, first]);
    // An evicted model comes back from its snapshot with what it learned (its one example included).
    expect((await store.modelFor(third)).account?.examples).toBe(1);
    expect(await logitOf(store, third, tacomaLead(900))).toBeCloseTo(thirdLearned, 2);
    expect(store.residentAccounts()).toEqual([first, third]);
    expect(await logitOf(store, first, tacomaLead(900))).toBeCloseTo(firstLearned, 2);
  });

  it('undoes a mark learned before a restart', async () => {
    const { deps, tenant, ingest, store: first } = await setup('Later Motors');
    const lead = await ingest(tacomaLead(3));
    const before = await logitOf(first, tenant.accountId, tacomaLead(900));
    await markSpam(deps, tenant.accountId, lead.activityId, staff);
    await first.close();
    store = await openStore(getDb());
    const restarted = { ...deps, learning: store };
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeGreaterThan(before + 0.1);
    await undoTrainingMark(restarted, tenant.accountId, lead.activityId, staff);
    // Snapshots store weights rounded to 16 bits, so "where it was" holds to two decimals.
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeCloseTo(before, 2);
  });

  it('learns Akismet reports of comments it never stored', async () => {
    const { deps, tenant, store } = await setup('Akismet Motors');
    const before = await logitOf(store, tenant.accountId, tacomaLead(900));
    for (let n = 0; n < 3; n++)
      await reportComment(deps, {
        accountId: tenant.accountId,
        lead: tacomaLead(n),
        guid: undefined,
        label: 'spam',
      });
    expect((await store.modelFor(tenant.accountId)).account?.examples).toBe(3);
    expect(await logitOf(store, tenant.accountId, tacomaLead(900))).toBeGreaterThan(before + 0.1);
  });

  it('automatic verdicts teach only an account model already sure of them, and never the global one', async () => {
    const base = await loadModel();
    const baseExamples = base?.examples ?? 0;
    store = await openModelStore({
      db: getDb(),
      base,
      pollMs: 0,
      snapshotDelayMs: 60_000,
      autoTrain: { minConfidence: 0.8 },
    });
    const account = '00000000-0000-4000-8000-000000000003';
    const screen = (lead: Lead) => screenForClassifier(lead, { now: Date.UTC(2026, 10, 23) });
    const probe = screen(tacomaLead(500));
    // No marks of its own: the account model knows nothing, so nothing is learned.
    expect(await store.learnVerdict(account, probe, 'spam')).toBe(false);
    for (let n = 0; n < 20; n++) {
      await store.learnMark(account, screen(tacomaLead(n)), 'spam');
      await store.learnMark(account, screen(hamLead(n)), 'ham');
    }
    expect(await store.learnVerdict(account, probe, 'ham')).toBe(false);
    expect(await store.learnVerdict(account, probe, 'spam')).toBe(true);
    const model = await store.modelFor(account);
    expect(model.account?.examples).toBe(41);
    expect(model.global.examples).toBe(baseExamples + 40);
  });

  it('two instances learning at once both keep their marks in the shared global model', async () => {
    const db = getDb();
    const one = await openStore(db);
    const two = await openStore(db);
    try {
      const baseTacoma = await logitOf(one, unmarked, tacomaLead(900));
      for (let n = 0; n < 5; n++) {
        const tacoma = screenForClassifier(tacomaLead(n), { now: Date.UTC(2026, 10, 23) });
        await one.learnMark('00000000-0000-4000-8000-000000000001', tacoma, 'spam');
        const spanish = screenForClassifier(spanishLead(n), { now: Date.UTC(2026, 10, 23) });
        await two.learnMark('00000000-0000-4000-8000-000000000002', spanish, 'spam');
      }
      await one.flush();
      // The second writer finds a newer snapshot, adds its own learning to it and writes that.
      await two.flush();
      const oneAlone = await logitOf(one, unmarked, spanishLead(900));
      expect(await one.refresh()).toBe(1);
      expect(await logitOf(one, unmarked, spanishLead(900))).toBeGreaterThan(oneAlone + 0.1);
      expect(await logitOf(two, unmarked, tacomaLead(900))).toBeGreaterThan(baseTacoma + 0.1);
      expect(await logitOf(one, unmarked, spanishLead(900))).toBeCloseTo(
        await logitOf(two, unmarked, spanishLead(900)),
        2,
      );
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('starts the global model over from a newly shipped base model, learning the staff marks in force again', async () => {
    const { deps, tenant, ingest, store: first } = await setup('Upgrade Motors');
    const marked = [];
    for (let n = 0; n < 4; n++) {
      const lead = await ingest(tacomaLead(n));
      await markSpam(deps, tenant.accountId, lead.activityId, staff);
      marked.push(lead.activityId);
    }
    // One mark undone, one whose lead retention has purged: neither is learned again.
    await undoTrainingMark(deps, tenant.accountId, marked[0] as string, staff);
    await forgetMarkContent(getDb(), [marked[1] as string]);
    const accountBefore = (await first.modelFor(tenant.accountId)).account?.examples;
    await first.close();
    // Earlier tests' accounts marked leads in this database too: every account's marks in force count.
    const inForce = async (accountId?: string) =>
      (
        await getDb().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM training_marks WHERE source = 'user' AND undone_at IS NULL
             AND jsonb_exists(sample, 'lead') AND ($1::uuid IS NULL OR account_id = $1)`,
          [accountId ?? null],
        )
      )[0]?.n ?? 0;
    expect(await inForce(tenant.accountId)).toBe(2);
    const marks = await inForce();

    const shipped = await loadModel();
    if (!shipped) throw new Error('no shipped model');
    const rebases: { from: string; to: string; marks: number }[] = [];
    // The shipped model under another version: what an upgrade with a retrained base model brings.
    const openWithBase = async (version: string) => {
      const base = await loadModel();
      if (!base) throw new Error('no shipped model');
      base.version = version;
      return openModelStore({
        db: getDb(),
        base,
        pollMs: 0,
        snapshotDelayMs: 60_000,
        onRebase: (report) => rebases.push(report),
      });
    };
    store = await openWithBase('trained-next');
    expect(rebases).toEqual([{ from: shipped.version, to: 'trained-next', marks }]);
    const model = await store.modelFor(tenant.accountId);
    expect(model.global.version).toBe('trained-next');
    expect(model.global.examples).toBe(shipped.examples + marks);
    // The account's own model is its own line: untouched.
    expect(model.account?.examples).toBe(accountBefore);
    const screened = screenForClassifier(tacomaLead(900), { now: Date.UTC(2026, 10, 23) });
    expect(model.global.predictLogit(screened.prepared, screened.signals)).toBeGreaterThan(
      shipped.predictLogit(screened.prepared, screened.signals) + 0.05,
    );
    await store.close();

    // Started over once: the next start with the same base keeps the stored model and learns nothing twice.
    store = await openWithBase('trained-next');
    expect(rebases).toHaveLength(1);
    expect((await store.modelFor(tenant.accountId)).global.examples).toBe(shipped.examples + marks);
    await store.close();
    store = undefined;

    // Two instances upgraded at once both start over; whichever writes second adopts the first's model unchanged.
    const both = await Promise.all([openWithBase('trained-third'), openWithBase('trained-third')]);
    try {
      for (const one of both) await one.flush();
      for (const one of both) await one.refresh();
      for (const one of both) {
        const global = (await one.modelFor(tenant.accountId)).global;
        expect(global.version).toBe('trained-third');
        expect(global.examples).toBe(shipped.examples + marks);
      }
    } finally {
      for (const one of both) await one.close();
    }
  });
});
