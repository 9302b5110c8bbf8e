// Classifier benchmark: the cost the classifier check adds per lead (median over the dev leads, one core), model load time, and training time on 10,000 examples.
// Usage: node --import tsx bench/classifier.ts [--repeat 20] [--train 10000]
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { classifier } from '../src/checks/classifier.ts';
import { compileConfig } from '../src/engine/compile.ts';
import type { CheckContext } from '../src/engine/check.ts';
import { prepareEvalItems } from '../src/classifier/evaluate.ts';
import { baseModelPath } from '../src/classifier/model-file.ts';
import { readLabelledLeads } from '../src/classifier/read-leads.ts';
import { parseModel } from '../src/classifier/serialise.ts';
import { makeSyntheticLeads } from '../src/classifier/synthetic-leads.ts';
import { trainOnFeatures } from '../src/classifier/training.ts';
import type { LabelledLead } from '../src/classifier/training.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
};
const repeat = Number(option('repeat', '20'));
const trainSize = Number(option('train', '10000'));
const devPath = fileURLToPath(new URL('../../shared/data/leads-dev.jsonl', import.meta.url));

const median = (values: number[]) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
};
const percentile = (values: number[], p: number) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
};

const source = existsSync(devPath) ? 'leads-dev.jsonl' : 'synthetic leads';
const leads: LabelledLead[] = existsSync(devPath)
  ? (await readLabelledLeads(devPath)).leads
  : makeSyntheticLeads(3000);

// Model load.
const modelText = await readFile(baseModelPath, 'utf8');
const loads: number[] = [];
let model = parseModel(modelText);
for (let i = 0; i < 5; i++) {
  const started = performance.now();
  model = parseModel(modelText);
  loads.push(performance.now() - started);
}

// Per-lead cost of the classifier check (features, prediction, score, and the explanation when it scores).
const items = prepareEvalItems(leads, model.options);
const config = compileConfig({});
const contextFor = (signals: CheckContext['signals']): CheckContext => ({
  config,
  facts: { now: 0 },
  score: classifier.defaultScore,
  options: {},
  model,
  signals,
});
const contexts = items.map((item) => contextFor(item.screened.signals));
const perLead: number[] = [];
const predictOnly: number[] = [];
for (let warm = 0; warm < 2; warm++)
  items.forEach((item, i) => classifier.run(item.screened.prepared, contexts[i] as CheckContext));
items.forEach((item, i) => {
  const ctx = contexts[i] as CheckContext;
  let started = performance.now();
  for (let r = 0; r < repeat; r++) classifier.run(item.screened.prepared, ctx);
  perLead.push(((performance.now() - started) / repeat) * 1000);
  started = performance.now();
  for (let r = 0; r < repeat; r++) model.predict(item.screened.prepared, item.screened.signals);
  predictOnly.push(((performance.now() - started) / repeat) * 1000);
});

// Training on `trainSize` examples: the leads repeated, screened by the other checks, features, 5 passes.
const many: LabelledLead[] = [];
for (let i = 0; many.length < trainSize; i++) many.push(leads[i % leads.length] as LabelledLead);
let started = performance.now();
const trainItems = prepareEvalItems(many, model.options);
const prepareSeconds = (performance.now() - started) / 1000;
started = performance.now();
trainOnFeatures(trainItems, { ...model.options, epochs: 5 });
const fitSeconds = (performance.now() - started) / 1000;

const lines = [
  `classifier benchmark: ${source}, ${items.length} leads, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  `model load (${(modelText.length / 1024).toFixed(0)} KiB JSON): median ${median(loads).toFixed(1)} ms`,
  `classifier check per lead: median ${median(perLead).toFixed(1)} µs, p90 ${percentile(perLead, 0.9).toFixed(1)} µs, p99 ${percentile(perLead, 0.99).toFixed(1)} µs`,
  `  by label: spam leads median ${median(perLead.filter((_, i) => items[i]?.label === 'spam')).toFixed(1)} µs (they carry the explanation), ham leads median ${median(perLead.filter((_, i) => items[i]?.label === 'ham')).toFixed(1)} µs`,
  `prediction only per lead:  median ${median(predictOnly).toFixed(1)} µs, p90 ${percentile(predictOnly, 0.9).toFixed(1)} µs`,
  `training on ${trainSize} examples: screening + features ${prepareSeconds.toFixed(2)} s, fitting (5 passes) ${fitSeconds.toFixed(2)} s, total ${(prepareSeconds + fitSeconds).toFixed(2)} s`,
];
process.stdout.write(`${lines.join('\n')}\n`);
