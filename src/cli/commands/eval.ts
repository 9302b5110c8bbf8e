// `leadguard eval`: measures a classifier (train/test split, a saved model, k-fold cross-validation, or the online curve) and prints the figures.
import type { Command } from 'commander';
import {
  crossValidate,
  evaluateModel,
  prepareEvalItems,
  runOnline,
  trainCalibrated,
} from '../../classifier/evaluate.ts';
import type { EvalItem, EvalReport, OnlinePoint } from '../../classifier/evaluate.ts';
import { loadModel } from '../../classifier/model-file.ts';
import { readLabelledLeads } from '../../classifier/read-leads.ts';
import type { TrainSettings } from '../../classifier/evaluate.ts';
import { addModelOptions, toTrainSettings, UsageError } from './model-options.ts';
import type { ModelFlags } from './model-options.ts';

export interface EvalFlags extends ModelFlags {
  train?: string;
  test?: string;
  model?: string;
  input?: string;
  cv?: string;
  online?: boolean;
  baseShare: string;
  json?: boolean;
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

function describeReport(label: string, r: EvalReport): string {
  const c = r.confusion;
  return [
    `${label}: ${r.examples} leads (${r.spam} spam, ${r.ham} ham)`,
    `  AUC ${r.auc.toFixed(5)}`,
    `  spam recall at ham FPR 0.5%: ${pct(r.recallAtFpr05)}   at 0.1%: ${pct(r.recallAtFpr01)}`,
    `  at the threshold (${r.threshold}): precision ${pct(r.precision, 2)}  recall ${pct(r.recall, 2)}  FPR ${pct(r.fpr, 2)}` +
      (r.cutLogit === undefined ? '' : `  (cut at logit ${r.cutLogit})`),
    `  confusion: spam→quarantine ${c.truePositives}  spam→inbox ${c.falseNegatives}  ham→quarantine ${c.falsePositives}  ham→inbox ${c.trueNegatives}`,
  ].join('\n');
}

async function readItems(
  path: string,
  settings: TrainSettings,
  err: NodeJS.WritableStream,
): Promise<EvalItem[]> {
  const { leads, bad } = await readLabelledLeads(path);
  for (const line of bad) err.write(`${path} line ${line.line}: ${line.error}\n`);
  return prepareEvalItems(leads, settings);
}

export async function evalCommand(
  flags: EvalFlags,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<void> {
  const settings = toTrainSettings(flags);
  const print = (json: unknown, text: string) =>
    out.write(flags.json ? `${JSON.stringify(json, null, 2)}\n` : `${text}\n`);
  if (flags.cv !== undefined || flags.online) {
    if (!flags.input) throw new UsageError('--cv and --online need --input <file>');
    const items = await readItems(flags.input, settings, err);
    if (flags.online) {
      const baseShare = Number(flags.baseShare);
      if (!(baseShare > 0 && baseShare < 1)) throw new UsageError('--base-share must be between 0 and 1');
      const points: OnlinePoint[] = runOnline(items, { ...settings, baseShare });
      print(
        { mode: 'online', baseShare, points },
        [
          `online: base model on ${pct(baseShare, 0)} of the leads, then each verdict followed by its true label`,
        ]
          .concat(
            points.map(
              (p) =>
                `  after ${p.seen}: ${p.errorsPerThousand.toFixed(1)} errors per 1,000 (FP ${p.falsePositives}, FN ${p.falseNegatives})`,
            ),
          )
          .join('\n'),
      );
      return;
    }
    const folds = Number(flags.cv);
    if (!Number.isInteger(folds) || folds < 2 || folds > 50)
      throw new UsageError('--cv must be an integer from 2 to 50');
    const report = crossValidate(items, folds, settings);
    const m = report.mean;
    print(
      { mode: 'cross-validation', ...report },
      report.folds
        .map((r, i) => describeReport(`fold ${i + 1}`, r))
        .concat([
          `mean of ${folds} folds: AUC ${m.auc.toFixed(5)}  recall@0.5% ${pct(m.recallAtFpr05)}  recall@0.1% ${pct(m.recallAtFpr01)}  ` +
            `precision ${pct(m.precision, 2)}  recall ${pct(m.recall, 2)}  FPR ${pct(m.fpr, 2)}`,
          `summed confusion: spam→quarantine ${report.confusion.truePositives}  spam→inbox ${report.confusion.falseNegatives}  ` +
            `ham→quarantine ${report.confusion.falsePositives}  ham→inbox ${report.confusion.trueNegatives}`,
        ])
        .join('\n'),
    );
    return;
  }
  if (!flags.test)
    throw new UsageError(
      'give --train A --test B, --model M --test B, --cv N --input F or --online --input F',
    );
  if (!flags.train && !flags.model) throw new UsageError('--test needs --train <file> or --model <file>');
  const model = flags.train
    ? trainCalibrated(await readItems(flags.train, settings, err), settings)
    : await loadModel(flags.model);
  if (!model) throw new Error('no model to evaluate');
  const items = await readItems(flags.test, model.options, err);
  const report = evaluateModel(model, items);
  print({ mode: 'split', ...report }, describeReport(flags.test, report));
}

export function registerEval(program: Command): void {
  addModelOptions(
    program
      .command('eval')
      .description(
        'measure the classifier: AUC, spam recall at ham FPR 0.5% and 0.1%, verdicts at the threshold, confusion matrix',
      )
      .option('--train <file>', 'labelled leads to train on')
      .option('--test <file>', 'labelled leads to test on')
      .option('--model <file>', 'evaluate a saved model instead of training one')
      .option('--input <file>', 'labelled leads for --cv or --online')
      .option('--cv <folds>', 'k-fold cross-validation over --input, each fold reported')
      .option('--online', 'online curve over --input: errors per 1,000 leads as marks are learned')
      .option('--base-share <x>', 'share of --input that trains the base model for --online', '0.2')
      .option('--json', 'print JSON for machines'),
  ).action(async (flags: EvalFlags) => evalCommand(flags));
}
