// Tests for the evaluation measures and the cut chosen from them: AUC, recall at a fixed ham false-positive rate, folds, calibration.
import { describe, expect, it } from 'vitest';
import { chooseCut } from './calibrate.ts';
import { assignFolds, computeAuc, confusionAt, rates, recallAtFpr } from './metrics.ts';
import type { Scored } from './metrics.ts';

const scored = (spam: number[], ham: number[]): Scored[] => [
  ...spam.map((score) => ({ score, label: 'spam' as const })),
  ...ham.map((score) => ({ score, label: 'ham' as const })),
];

describe('computeAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when everything ties', () => {
    expect(computeAuc(scored([3, 4], [1, 2]))).toBe(1);
    expect(computeAuc(scored([1, 2], [3, 4]))).toBe(0);
    expect(computeAuc(scored([1, 1], [1, 1]))).toBe(0.5);
    expect(computeAuc(scored([3, 1], [2, 0]))).toBe(0.75);
  });
});

describe('recallAtFpr', () => {
  it('counts spam strictly above the ham score that the allowed false positives end at', () => {
    const ham = Array.from({ length: 1000 }, (_, i) => i / 1000);
    // 0.5% of 1,000 ham: the 5 highest may be false positives, the cut is the 6th highest (0.994).
    const items = scored([0.999, 0.995, 0.994, 0.5], ham);
    expect(recallAtFpr(items, 0.005)).toEqual({ recall: 0.5, cut: 0.994 });
    // No false positive allowed: the cut is the highest ham (0.999), and a spam tying it counts as missed.
    expect(recallAtFpr(items, 0).recall).toBe(0);
  });
});

describe('confusion and rates', () => {
  it('counts each outcome and derives precision, recall and FPR', () => {
    const c = confusionAt([
      { flagged: true, label: 'spam' },
      { flagged: false, label: 'spam' },
      { flagged: true, label: 'ham' },
      { flagged: false, label: 'ham' },
      { flagged: false, label: 'ham' },
    ]);
    expect(c).toEqual({ truePositives: 1, falseNegatives: 1, falsePositives: 1, trueNegatives: 2 });
    expect(rates(c)).toEqual({ precision: 0.5, recall: 0.5, fpr: 1 / 3 });
  });
});

describe('assignFolds', () => {
  it('spreads each class evenly over the folds, the same way every time', () => {
    const labels = [...Array<'spam'>(20).fill('spam'), ...Array<'ham'>(80).fill('ham')];
    const folds = assignFolds(labels, 5, 3);
    expect(folds).toEqual(assignFolds(labels, 5, 3));
    for (let f = 0; f < 5; f++) {
      expect(labels.filter((l, i) => l === 'spam' && folds[i] === f)).toHaveLength(4);
      expect(labels.filter((l, i) => l === 'ham' && folds[i] === f)).toHaveLength(16);
    }
  });
});

describe('chooseCut', () => {
  it('catches the most spam while keeping ham false positives at or under the target, never cutting below logit 1', () => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) => ({
        logit: -3 + i * 0.02,
        otherScore: 0,
        label: 'ham' as const,
      })),
      ...Array.from({ length: 20 }, (_, i) => ({
        logit: 0.5 + i * 0.2,
        otherScore: 0,
        label: 'spam' as const,
      })),
    ];
    const choice = chooseCut(samples, 5, 0);
    expect(choice.fpr).toBe(0);
    // Spam below logit 1 (73%) stays uncaught: the cut never goes lower; of the cuts that catch
    // the rest, the largest (most cautious) wins.
    expect(choice.calibration.cutLogit).toBe(1.1);
    expect(choice.recall).toBe(17 / 20);
  });

  it('lets confident ham cancel the other checks when that is what keeps false positives down', () => {
    const samples = [
      ...Array.from({ length: 50 }, () => ({ logit: -4, otherScore: 6, label: 'ham' as const })),
      ...Array.from({ length: 10 }, () => ({ logit: 4, otherScore: 0, label: 'spam' as const })),
    ];
    const choice = chooseCut(samples, 5, 0);
    expect(choice.fpr).toBe(0);
    expect(choice.recall).toBe(1);
  });
});
