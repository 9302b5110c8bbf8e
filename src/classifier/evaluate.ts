// Evaluation as `leadguard eval` reports it: ranking quality, recall at fixed ham false-positive rates, and the product's verdicts at its threshold.
import { compileConfig } from '../engine/compile.ts';
import { screenPrepared } from '../engine/screen.ts';
import { chooseCut, crossValidatedLogits } from './calibrate.ts';
import { defaultFeatureOptions } from './features.ts';
import type { CalibrationExample } from './calibrate.ts';
import { assignFolds, computeAuc, confusionAt, rates, recallAtFpr } from './metrics.ts';
import type { Confusion } from './metrics.ts';
import { createRandom, shuffle } from './random.ts';
import type { SpamClassifier } from './spam-classifier.ts';
import { screenForClassifier, toFeatureExample, trainOnFeatures } from './training.ts';
import type { LabelledLead, ScreenedLead, TrainOptions } from './training.ts';

/** A lead ready for evaluation: screened once, its features and the other checks' score kept. */
export interface EvalItem extends CalibrationExample {
  readonly screened: ScreenedLead;
  readonly now: number;
}

export interface EvalReport {
  readonly examples: number;
  readonly spam: number;
  readonly ham: number;
  readonly auc: number;
  readonly recallAtFpr05: number;
  readonly recallAtFpr01: number;
  readonly threshold: number;
  readonly precision: number;
  readonly recall: number;
  readonly fpr: number;
  readonly confusion: Confusion;
  readonly cutLogit?: number;
}

export interface TrainSettings extends TrainOptions {
  /** Folds of the inner cross-validation that places the cut; 0 keeps the default cut. */
  readonly calibrationFolds?: number;
  /** Ham false-positive rate the cut aims at, other checks included. */
  readonly targetFpr?: number;
}

export function prepareEvalItems(leads: readonly LabelledLead[], options: TrainOptions = {}): EvalItem[] {
  const features = options.features ?? defaultFeatureOptions;
  return leads.map((item) => {
    const now = item.submittedAt ?? Date.now();
    const screened = screenForClassifier(item.lead, { now });
    const otherScore = screened.signals.reduce((sum, s) => sum + s.score, 0);
    return { ...toFeatureExample(screened, item.label, features), otherScore, screened, now };
  });
}

/** Trains on the items and, unless told not to, places the cut by an inner cross-validation on the same items. */
export function trainCalibrated(
  items: readonly CalibrationExample[],
  settings: TrainSettings = {},
): SpamClassifier {
  const model = trainOnFeatures(items, settings);
  const folds = settings.calibrationFolds ?? 5;
  if (folds >= 2 && items.length >= folds * 4) {
    const samples = crossValidatedLogits(items, settings, folds);
    model.calibration = chooseCut(samples, 5, settings.targetFpr).calibration;
  }
  return model;
}

/** Scores the items with the model and screens each with the whole engine (the model included) for the verdict. */
export function evaluateModel(model: SpamClassifier, items: readonly EvalItem[]): EvalReport {
  const config = compileConfig({});
  const scored = items.map((item) => ({ score: model.logitOfFeatures(item.hashes), label: item.label }));
  const verdicts = items.map((item) => ({
    flagged:
      screenPrepared(item.screened.prepared, config, { now: item.now }, { model }).outcome === 'quarantine',
    label: item.label,
  }));
  const confusion = confusionAt(verdicts);
  const spam = items.filter((i) => i.label === 'spam').length;
  return {
    examples: items.length,
    spam,
    ham: items.length - spam,
    auc: computeAuc(scored),
    recallAtFpr05: recallAtFpr(scored, 0.005).recall,
    recallAtFpr01: recallAtFpr(scored, 0.001).recall,
    threshold: config.settings.quarantineThreshold,
    ...rates(confusion),
    confusion,
    cutLogit: model.calibration.cutLogit,
  };
}

export interface CrossValidationReport {
  readonly folds: EvalReport[];
  /** Mean of the per-fold figures. */
  readonly mean: Omit<EvalReport, 'confusion' | 'cutLogit'>;
  /** Confusion matrix summed over the folds. */
  readonly confusion: Confusion;
}

export function crossValidate(
  items: readonly EvalItem[],
  folds: number,
  settings: TrainSettings = {},
): CrossValidationReport {
  if (folds < 2) throw new RangeError('cross-validation needs at least 2 folds');
  const assignment = assignFolds(
    items.map((i) => i.label),
    folds,
    settings.seed ?? 7,
  );
  const reports: EvalReport[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const model = trainCalibrated(
      items.filter((_, i) => assignment[i] !== fold),
      settings,
    );
    reports.push(
      evaluateModel(
        model,
        items.filter((_, i) => assignment[i] === fold),
      ),
    );
  }
  const average = (pick: (r: EvalReport) => number) =>
    reports.reduce((sum, r) => sum + pick(r), 0) / reports.length;
  const confusion = {
    truePositives: reports.reduce((s, r) => s + r.confusion.truePositives, 0),
    falsePositives: reports.reduce((s, r) => s + r.confusion.falsePositives, 0),
    trueNegatives: reports.reduce((s, r) => s + r.confusion.trueNegatives, 0),
    falseNegatives: reports.reduce((s, r) => s + r.confusion.falseNegatives, 0),
  };
  return {
    folds: reports,
    mean: {
      examples: items.length,
      spam: reports.reduce((s, r) => s + r.spam, 0),
      ham: reports.reduce((s, r) => s + r.ham, 0),
      auc: average((r) => r.auc),
      recallAtFpr05: average((r) => r.recallAtFpr05),
      recallAtFpr01: average((r) => r.recallAtFpr01),
      threshold: reports[0]?.threshold ?? 5,
      precision: average((r) => r.precision),
      recall: average((r) => r.recall),
      fpr: average((r) => r.fpr),
    },
    confusion,
  };
}

export interface OnlinePoint {
  /** Leads seen after the base part. */
  readonly seen: number;
  /** Wrong verdicts per 1,000 leads in this window. */
  readonly errorsPerThousand: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/**
 * The online figure: a base model trained on the first `baseShare` of a shuffled stream, then each
 * later lead screened and its true label learned right after, as a user's mark would be.
 */
export function runOnline(
  items: readonly EvalItem[],
  settings: TrainSettings & { baseShare?: number; window?: number } = {},
): OnlinePoint[] {
  const order = shuffle(items.slice(), createRandom(settings.seed ?? 11));
  const baseCount = Math.floor(order.length * (settings.baseShare ?? 0.2));
  const model = trainCalibrated(order.slice(0, baseCount), settings);
  const config = compileConfig({});
  const window = settings.window ?? 250;
  const points: OnlinePoint[] = [];
  let fp = 0;
  let fn = 0;
  let inWindow = 0;
  for (let i = baseCount; i < order.length; i++) {
    const item = order[i] as EvalItem;
    const outcome = screenPrepared(item.screened.prepared, config, { now: item.now }, { model }).outcome;
    if (outcome === 'quarantine' && item.label === 'ham') fp++;
    if (outcome === 'ham' && item.label === 'spam') fn++;
    model.updateFeatures(item.hashes, item.label, 1);
    inWindow++;
    if (inWindow === window || i === order.length - 1) {
      points.push({
        seen: i - baseCount + 1,
        errorsPerThousand: ((fp + fn) * 1000) / inWindow,
        falsePositives: fp,
        falseNegatives: fn,
      });
      fp = 0;
      fn = 0;
      inWindow = 0;
    }
  }
  return points;
}
