// Chooses where the classifier's score meets the threshold, by cross-validation, so the product's threshold keeps ham false positives rare.
import { assignFolds } from './metrics.ts';
import { scoreOfLogit } from './score.ts';
import type { Label } from './spam-classifier.ts';
import type { Calibration } from './spam-classifier.ts';
import { trainOnFeatures } from './training.ts';
import type { FeatureExample, TrainOptions } from './training.ts';

export interface CalibrationSample {
  readonly logit: number;
  /** Sum of the other checks' scores for the lead. */
  readonly otherScore: number;
  readonly label: Label;
}

export interface CutChoice {
  readonly calibration: Calibration;
  readonly fpr: number;
  readonly recall: number;
}

/**
 * The cut whose verdicts, other checks included, catch the most spam while quarantining at most
 * `targetFpr` of the ham (on a tie, the larger cut: the more cautious one). Never below `minCut`
 * (1.0 is a 73% probability). When no cut meets the target, the one with the fewest false positives.
 */
export function chooseCut(
  samples: readonly CalibrationSample[],
  threshold = 5,
  targetFpr = 0.002,
  minCut = 1,
): CutChoice {
  const hams = samples.filter((s) => s.label === 'ham');
  const spams = samples.filter((s) => s.label === 'spam');
  const rate = (items: readonly CalibrationSample[], calibration: Calibration) =>
    items.filter((s) => s.otherScore + scoreOfLogit(s.logit, calibration, threshold) >= threshold).length /
    Math.max(1, items.length);
  let best: CutChoice | undefined;
  let safest: CutChoice | undefined;
  for (let step = Math.round(minCut * 20); step <= 600; step++) {
    const calibration = { cutLogit: step / 20 };
    const fpr = rate(hams, calibration);
    const choice = { calibration, fpr, recall: rate(spams, calibration) };
    if (!safest || fpr < safest.fpr) safest = choice;
    if (fpr <= targetFpr && (!best || choice.recall >= best.recall)) best = choice;
  }
  return (best ?? safest) as CutChoice;
}

export interface CalibrationExample extends FeatureExample {
  readonly otherScore: number;
}

/** Out-of-fold logits for every example: each one scored by a model that never saw it. */
export function crossValidatedLogits(
  examples: readonly CalibrationExample[],
  options: TrainOptions,
  folds = 5,
): CalibrationSample[] {
  const assignment = assignFolds(
    examples.map((e) => e.label),
    folds,
    options.seed ?? 1,
  );
  const samples = new Array<CalibrationSample>(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const model = trainOnFeatures(
      examples.filter((_, i) => assignment[i] !== fold),
      options,
    );
    examples.forEach((example, i) => {
      if (assignment[i] === fold)
        samples[i] = {
          logit: model.logitOfFeatures(example.hashes),
          otherScore: example.otherScore,
          label: example.label,
        };
    });
  }
  return samples;
}
