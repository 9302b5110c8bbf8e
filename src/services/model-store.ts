// The learned models in the running service: the global model and one per account, blended per account, learned from marks, snapshotted to the database and shared between instances.
import type { Db } from '../db/database.ts';
import { findModelSnapshot, listModelVersions, writeModelSnapshot } from '../db/repositories/models.ts';
import {
  createAccountModel,
  createBlendedModel,
  learnAutomatic,
  learnMark,
  unlearnMark,
} from '../classifier/learning.ts';
import type { AutoTrainOptions, BlendedModel, MarkReceipt } from '../classifier/learning.ts';
import { parseModel, serialiseModel } from '../classifier/serialise.ts';
import { SpamClassifier } from '../classifier/spam-classifier.ts';
import type { Label } from '../classifier/spam-classifier.ts';
import type { ScreenedLead } from '../classifier/training.ts';
import { relearnMarks } from './mark-learning.ts';
import { canMerge, mergeLearning, takeBaseline } from './model-merge.ts';
import type { ModelBaseline } from './model-merge.ts';

export const globalScope = 'global';

/** What one mark changed in each model; kept with the mark so undoing it reverses exactly. */
export interface MarkReceipts {
  readonly global: MarkReceipt;
  readonly account: MarkReceipt;
}

export interface ModelStoreOptions {
  readonly db: Db;
  /**
   * Where the global model starts when the database holds none (the shipped base model). A stored global model
   * built on another base version starts over from this one, with the staff's marks learned again, when this one
   * has learned anything: an upgrade's better base model reaches existing installs.
   */
  readonly base?: SpamClassifier;
  /** A global model that started over from a new base model: from which version, to which, marks learned again. */
  readonly onRebase?: (report: { from: string; to: string; marks: number }) => void;
  /** Account examples at which the account model gets half the say (default 200). */
  readonly halfWeightAt?: number;
  /** Quiet time after a change before its snapshot is written (default 5 s). */
  readonly snapshotDelayMs?: number;
  /** How often newer snapshots from other instances are looked for (default 30 s; 0: never). */
  readonly pollMs?: number;
  readonly autoTrain?: AutoTrainOptions;
  /** Account models kept in memory at most (default 100, about 1 MB each); the least recently used saved ones are dropped and read back when needed. */
  readonly maxAccountModels?: number;
  readonly now?: () => Date;
  /** Background snapshot or poll failures; the models keep working in memory. */
  readonly onError?: (error: unknown) => void;
}

export interface ModelStore {
  /** The model the account's leads are screened with: global and account blended. */
  modelFor(accountId: string): Promise<BlendedModel>;
  /** Learns a user's mark into the account's model and the global one. */
  learnMark(accountId: string, screened: ScreenedLead, label: Label): Promise<MarkReceipts>;
  /** Unlearns an undone mark; exact with its receipts, approximate without. */
  unlearnMark(
    accountId: string,
    screened: ScreenedLead,
    label: Label,
    receipts?: MarkReceipts,
  ): Promise<void>;
  /** An automatic verdict: learned into the account model only when that model is already very sure. */
  learnVerdict(accountId: string, screened: ScreenedLead, label: Label): Promise<boolean>;
  /** Adopts newer snapshots written by other instances; returns how many it adopted. */
  refresh(): Promise<number>;
  /** Writes every changed model now. */
  flush(): Promise<void>;
  /** Stops the timers and writes what changed. */
  close(): Promise<void>;
  /** Hands a learning failure to the store's error handler (learning never fails the mark that caused it). */
  reportError(error: unknown): void;
  /** The accounts whose models are in memory now, least recently used first. */
  residentAccounts(): string[];
}

interface Entry {
  readonly scope: string;
  /** Undefined for an account that has never been marked. */
  model: SpamClassifier | undefined;
  /** The stored snapshot version the model builds on (0: none stored). */
  version: number;
  /** The model as of `version`, kept only while there is unsaved learning to merge onto newer snapshots. */
  baseline: ModelBaseline | undefined;
  changes: number;
  savedChanges: number;
  blended?: { global: SpamClassifier; account: SpamClassifier | undefined; model: BlendedModel };
}

function parseSnapshot(body: string, onError: (error: unknown) => void): SpamClassifier | undefined {
  try {
    return parseModel(body);
  } catch (error) {
    onError(error);
    return undefined;
  }
}

/** Opens the store: reads (or first writes) the global model, then polls for other instances' snapshots. */
export async function openModelStore(options: ModelStoreOptions): Promise<ModelStore> {
  const { db } = options;
  const onError = options.onError ?? (() => undefined);
  const now = options.now ?? (() => new Date());
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry>>();
  let queue: Promise<unknown> = Promise.resolve();
  // Snapshots and adoptions of one store run one at a time, so neither sees the other half done.
  const serially = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = queue.then(fn, fn);
    queue = result.catch(() => undefined);
    return result;
  };

  async function loadEntry(scope: string): Promise<Entry> {
    const row = await findModelSnapshot(db, scope);
    const model = row ? parseSnapshot(row.body, onError) : undefined;
    const entry: Entry = {
      scope,
      model,
      version: row?.version ?? 0,
      baseline: undefined,
      changes: 0,
      savedChanges: 0,
    };
    if (scope === globalScope && !entry.model) {
      entry.model = options.base ?? new SpamClassifier({}, 'untrained');
      // Written at once, so every instance shares one global line from the start.
      entry.baseline = takeBaseline(entry.model);
      entry.changes = 1;
    }
    const base = options.base;
    if (
      scope === globalScope &&
      entry.model &&
      base &&
      base.examples > 0 &&
      entry.model.version !== base.version
    ) {
      const from = entry.model.version;
      const marks = await relearnMarks(db, base);
      entry.model = base;
      // Written over the stored snapshot it read (compare-and-set on its version); the baseline is the rebuilt model,
      // so an instance that rebuilt first wins and nothing of this one's is merged onto it twice.
      entry.baseline = takeBaseline(base);
      entry.changes = 1;
      options.onRebase?.({ from, to: base.version, marks });
    }
    return entry;
  }

  const maxAccountModels = options.maxAccountModels ?? 100;
  /** Drops the least recently used account models that hold nothing unsaved, down to the limit. */
  function evict(): void {
    let excess = entries.size - 1 - maxAccountModels;
    for (const [scope, entry] of entries) {
      if (excess <= 0) return;
      if (scope === globalScope || entry.changes !== entry.savedChanges) continue;
      entries.delete(scope);
      excess -= 1;
    }
  }

  function entryFor(scope: string): Promise<Entry> {
    const known = entries.get(scope);
    if (known) {
      // Map order is the recency order: a use moves the entry to the end.
      entries.delete(scope);
      entries.set(scope, known);
      return Promise.resolve(known);
    }
    let pending = loading.get(scope);
    if (!pending) {
      pending = loadEntry(scope).then((entry) => {
        entries.set(scope, entry);
        loading.delete(scope);
        evict();
        return entry;
      });
      pending.catch(() => loading.delete(scope));
      loading.set(scope, pending);
    }
    return pending;
  }

  async function adopt(entry: Entry, known?: number): Promise<boolean> {
    if (known !== undefined && known <= entry.version) return false;
    const row = await findModelSnapshot(db, entry.scope);
    if (!row || row.version <= entry.version) return false;
    const theirs = parseSnapshot(row.body, onError);
    if (!theirs) return false;
    const theirBaseline = entry.changes > entry.savedChanges ? takeBaseline(theirs) : undefined;
    if (entry.model && entry.baseline && theirBaseline && canMerge(theirs, entry.model))
      mergeLearning(theirs, entry.model, entry.baseline);
    entry.model = theirs;
    entry.baseline = theirBaseline;
    entry.version = row.version;
    return true;
  }

  async function save(entry: Entry): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const model = entry.model;
      if (!model || entry.changes === entry.savedChanges) return;
      const changes = entry.changes;
      const written = takeBaseline(model);
      const saved = await writeModelSnapshot(db, {
        scope: entry.scope,
        version: entry.version,
        body: serialiseModel(model),
        examples: model.examples,
        at: now(),
      });
      if (saved) {
        entry.version += 1;
        entry.savedChanges = changes;
        // Learning that arrived while writing still needs a baseline to merge from.
        entry.baseline = entry.changes > changes ? written : undefined;
        return;
      }
      await adopt(entry);
    }
    throw new Error(`model ${entry.scope}: snapshot kept losing to other writers`);
  }

  let snapshotTimer: NodeJS.Timeout | undefined;
  const flush = () =>
    serially(async () => {
      for (const entry of [...entries.values()]) await save(entry);
      evict();
    });
  function changed(entry: Entry): void {
    entry.changes += 1;
    // Evicted between its lookup and this change: put it back, so its learning is saved. A copy
    // read back meanwhile holds only what is stored, so the entry with the learning wins.
    if (entries.get(entry.scope) !== entry) entries.set(entry.scope, entry);
    if (snapshotTimer) return;
    snapshotTimer = setTimeout(() => {
      snapshotTimer = undefined;
      flush().catch(onError);
    }, options.snapshotDelayMs ?? 5000);
    snapshotTimer.unref();
  }
  /** Before the first unsaved change: remember what the stored snapshot held. */
  function beforeChange(entry: Entry, model: SpamClassifier): void {
    entry.baseline ??= takeBaseline(model);
  }

  const refresh = () =>
    serially(async () => {
      const versions = await listModelVersions(db, [...entries.keys()]);
      let adopted = 0;
      for (const [scope, version] of versions) {
        const entry = entries.get(scope);
        if (entry && (await adopt(entry, version))) adopted += 1;
      }
      return adopted;
    });
  const pollMs = options.pollMs ?? 30_000;
  const pollTimer = pollMs > 0 ? setInterval(() => void refresh().catch(onError), pollMs).unref() : undefined;

  const globalEntry = await entryFor(globalScope);
  await flush();
  const globalModel = (): SpamClassifier => globalEntry.model as SpamClassifier;

  async function accountModel(accountId: string): Promise<{ entry: Entry; model: SpamClassifier }> {
    const entry = await entryFor(accountId);
    entry.model ??= createAccountModel(globalModel());
    return { entry, model: entry.model };
  }

  return {
    async modelFor(accountId) {
      const entry = await entryFor(accountId);
      const global = globalModel();
      const cached = entry.blended;
      if (cached && cached.global === global && cached.account === entry.model) return cached.model;
      const model = createBlendedModel(global, entry.model, { halfWeightAt: options.halfWeightAt });
      entry.blended = { global, account: entry.model, model };
      return model;
    },
    async learnMark(accountId, screened, label) {
      const account = await accountModel(accountId);
      const global = globalModel();
      beforeChange(globalEntry, global);
      beforeChange(account.entry, account.model);
      const receipts = {
        global: learnMark(global, screened.prepared, screened.signals, label),
        account: learnMark(account.model, screened.prepared, screened.signals, label),
      };
      changed(globalEntry);
      changed(account.entry);
      return receipts;
    },
    async unlearnMark(accountId, screened, label, receipts) {
      const account = await accountModel(accountId);
      const global = globalModel();
      beforeChange(globalEntry, global);
      beforeChange(account.entry, account.model);
      unlearnMark(global, screened.prepared, screened.signals, label, receipts?.global);
      unlearnMark(account.model, screened.prepared, screened.signals, label, receipts?.account);
      changed(globalEntry);
      changed(account.entry);
    },
    async learnVerdict(accountId, screened, label) {
      const entry = await entryFor(accountId);
      // An account model that has learned nothing from people is sure of nothing: skip the copy below.
      if (!entry.model || entry.model.examples === 0) return false;
      beforeChange(entry, entry.model);
      const learned = learnAutomatic(
        entry.model,
        screened.prepared,
        screened.signals,
        label,
        options.autoTrain,
      );
      if (learned) changed(entry);
      return learned;
    },
    refresh,
    flush,
    reportError: onError,
    residentAccounts: () => [...entries.keys()].filter((scope) => scope !== globalScope),
    async close() {
      if (snapshotTimer) clearTimeout(snapshotTimer);
      snapshotTimer = undefined;
      if (pollTimer) clearInterval(pollTimer);
      await flush();
    },
  };
}
