// Learning-loop benchmark: what screening with an account's blended model costs over the bare global model, what a mark costs, and what a snapshot (write, read, merge) costs on PGlite.
// Usage: node --import tsx bench/learning.ts [--leads 2000] [--marks 300]
import { cpus, loadavg } from 'node:os';
import { loadModel } from '../src/classifier/model-file.ts';
import { parseModel, serialiseModel } from '../src/classifier/serialise.ts';
import { makeSyntheticLeads } from '../src/classifier/synthetic-leads.ts';
import { screenForClassifier } from '../src/classifier/training.ts';
import { openDatabase } from '../src/db/database.ts';
import { mergeLearning, takeBaseline } from '../src/services/model-merge.ts';
import { openModelStore } from '../src/services/model-store.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return Number(index >= 0 ? (args[index + 1] ?? fallback) : fallback);
};
const leadCount = option('leads', '2000');
const markCount = option('marks', '300');
const median = (values: number[]) => values.slice().sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const time = (fn: () => void): number => {
  const started = performance.now();
  fn();
  return performance.now() - started;
};

const base = await loadModel();
if (!base) throw new Error('no base model: run npm run train:base first');
const db = await openDatabase();
const store = await openModelStore({ db, base, pollMs: 0, snapshotDelayMs: 3_600_000 });
const account = '00000000-0000-4000-8000-0000000000aa';
const leads = makeSyntheticLeads(leadCount + markCount, 0.3, 11);
const screened = leads.map((item) => ({ ...item, ...screenForClassifier(item.lead, { now: 0 }) }));

// Marks: re-screening is done above, so this is the two models' learning alone.
const markTimes: number[] = [];
for (const item of screened.slice(0, markCount)) {
  const started = performance.now();
  await store.learnMark(account, item, item.label);
  markTimes.push(performance.now() - started);
}
const blended = await store.modelFor(account);
const probe = screened.slice(markCount);
const globalTimes: number[] = [];
const blendedTimes: number[] = [];
for (let round = 0; round < 5; round++)
  for (const item of probe) {
    // Alternate which goes first, so neither gains from the other's warm caches.
    const timeGlobal = () =>
      globalTimes.push(time(() => blended.global.predictLogit(item.prepared, item.signals)));
    const timeBlended = () =>
      blendedTimes.push(time(() => blended.predictLogit(item.prepared, item.signals)));
    if (round % 2 === 0) {
      timeGlobal();
      timeBlended();
    } else {
      timeBlended();
      timeGlobal();
    }
  }

// Snapshot: serialise + write (global and account), read back, and the merge an adopting instance does.
const global = blended.global;
const serialiseMs = median([0, 1, 2, 3, 4].map(() => time(() => void serialiseModel(global))));
const body = serialiseModel(global);
const flushStarted = performance.now();
await store.flush();
const flushMs = performance.now() - flushStarted;
const parseMs = median([0, 1, 2, 3, 4].map(() => time(() => void parseModel(body))));
const theirs = parseModel(body);
const baseline = takeBaseline(theirs);
const mergeMs = time(() => mergeLearning(theirs, global, baseline));
await store.close();
await db.close();

const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
console.log(`machine: ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]?.toFixed(1)}`);
console.log(`leads: ${leadCount} synthetic, ${markCount} marks learned into the account and global models`);
console.log(`classifier logit, bare global model: median ${us(median(globalTimes))}`);
console.log(`classifier logit, blended (global + account): median ${us(median(blendedTimes))}`);
console.log(`learn one mark (two models, already screened): median ${us(median(markTimes))}`);
console.log(
  `global snapshot: ${(body.length / 1024).toFixed(0)} KiB, serialise ${serialiseMs.toFixed(1)} ms`,
);
console.log(`flush (serialise + write global and account, PGlite in memory): ${flushMs.toFixed(1)} ms`);
console.log(
  `adopt a newer snapshot: parse ${parseMs.toFixed(1)} ms, merge unsaved learning ${mergeMs.toFixed(1)} ms`,
);
