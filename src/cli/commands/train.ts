// `leadguard train`: trains a classifier model from a JSONL file of labelled leads and writes it as versioned JSON.
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { prepareEvalItems, trainCalibrated } from '../../classifier/evaluate.ts';
import { saveModel } from '../../classifier/model-file.ts';
import { readLabelledLeads } from '../../classifier/read-leads.ts';
import { addModelOptions, toTrainSettings, UsageError } from './model-options.ts';
import type { ModelFlags } from './model-options.ts';

export interface TrainFlags extends ModelFlags {
  input: string;
  output: string;
  modelVersion?: string;
  prune: string;
}

export async function trainCommand(
  flags: TrainFlags,
  err: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  const settings = toTrainSettings(flags);
  const prune = Number(flags.prune);
  if (!Number.isFinite(prune) || prune < 0 || prune >= 1)
    throw new UsageError('--prune must be a number from 0 to below 1');
  const started = performance.now();
  const { leads, bad } = await readLabelledLeads(flags.input);
  for (const line of bad) err.write(`line ${line.line}: ${line.error}\n`);
  const spam = leads.filter((l) => l.label === 'spam').length;
  if (spam === 0 || spam === leads.length)
    throw new Error(`${flags.input}: training needs both spam and ham leads`);
  const items = prepareEvalItems(leads, settings);
  const model = trainCalibrated(items, {
    ...settings,
    version: flags.modelVersion ?? `trained-${new Date().toISOString().slice(0, 10)}`,
  });
  await saveModel(model, flags.output, { prune });
  const size = (await stat(flags.output)).size;
  err.write(
    `trained ${model.options.kind} on ${leads.length} leads (${spam} spam, ${leads.length - spam} ham)` +
      `${bad.length ? `, ${bad.length} line(s) skipped` : ''}; cut at logit ${model.calibration.cutLogit}; ` +
      `wrote ${flags.output} (${(size / 1024).toFixed(0)} KiB) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

export function registerTrain(program: Command): void {
  addModelOptions(
    program
      .command('train')
      .description('train a classifier model from labelled leads (JSONL with "label": "spam" | "ham")')
      .requiredOption('--input <file>', 'JSONL file of labelled leads')
      .requiredOption('--output <file>', 'where to write the model (JSON)')
      .option('--model-version <name>', 'version string stored in the model')
      .option('--prune <share>', 'drop weights smaller than this share of the largest', '0.003'),
  ).action(async (flags: TrainFlags) => trainCommand(flags));
}
