// Measures of a spam classifier: AUC, spam recall at a fixed ham false-positive rate, the confusion matrix, stratified folds.
import type { Label } from './spam-classifier.ts';
import { createRandom, shuffle } from './random.ts';

export interface Scored {
  /** Higher means more likely spam. */
  readonly score: number;
  readonly label: Label;
}

export interface Confusion {
  /** Spam quarantined. */
  readonly truePositives: number;
  /** Ham quarantined: a lost sale. */
  readonly falsePositives: number;
  readonly trueNegatives: number;
  /** Spam let through. */
  readonly falseNegatives: number;
}

/** Area under the ROC curve (Mann-Whitney U, ties count half). */
export function computeAuc(items: readonly Scored[]): number {
  const sorted = items.slice().sort((a, b) => a.score - b.score);
  let spam = 0;
  let ham = 0;
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j]!.score === sorted[i]!.score) j++;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (sorted[k]!.label === 'spam') {
        spam++;
        rankSum += averageRank;
      } else ham++;
    }
    i = j;
  }
  if (spam === 0 || ham === 0) return Number.NaN;
  return (rankSum - (spam * (spam + 1)) / 2) / (spam * ham);
}

/**
 * Share of spam scored strictly above the cut that lets at most `fpr` of the ham through as
 * false positives. Ties with the cut count against us, so the figure is never flattering.
 */
export function recallAtFpr(items: readonly Scored[], fpr: number): { recall: number; cut: number } {
  const hams = items
    .filter((i) => i.label === 'ham')
    .map((i) => i.score)
    .sort((a, b) => b - a);
  const spams = items.filter((i) => i.label === 'spam');
  if (hams.length === 0 || spams.length === 0) return { recall: Number.NaN, cut: Number.NaN };
  const allowed = Math.floor(fpr * hams.length);
  const cut = hams[allowed] ?? -Infinity;
  const caught = spams.filter((s) => s.score > cut).length;
  return { recall: caught / spams.length, cut };
}

export function confusionAt(items: readonly { flagged: boolean; label: Label }[]): Confusion {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (const item of items) {
    if (item.label === 'spam') {
      if (item.flagged) tp++;
      else fn++;
    } else if (item.flagged) fp++;
    else tn++;
  }
  return { truePositives: tp, falsePositives: fp, trueNegatives: tn, falseNegatives: fn };
}

export function rates(c: Confusion): { precision: number; recall: number; fpr: number } {
  const flagged = c.truePositives + c.falsePositives;
  return {
    precision: flagged === 0 ? 1 : c.truePositives / flagged,
    recall: c.truePositives / Math.max(1, c.truePositives + c.falseNegatives),
    fpr: c.falsePositives / Math.max(1, c.falsePositives + c.trueNegatives),
  };
}

/** Fold number of each item, classes spread evenly over the folds, reproducible from the seed. */
export function assignFolds(labels: readonly Label[], folds: number, seed = 7): number[] {
  const random = createRandom(seed);
  const result = new Array<number>(labels.length).fill(0);
  for (const label of ['spam', 'ham'] as const) {
    const indices = shuffle(
      labels.flatMap((l, i) => (l === label ? [i] : [])),
      random,
    );
    indices.forEach((index, position) => (result[index] = position % folds));
  }
  return result;
}
