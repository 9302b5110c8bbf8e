import { describe, expect, it } from 'vitest';
import { parseModel, serialiseModel } from '../classifier/serialise.ts';
import { SpamClassifier } from '../classifier/spam-classifier.ts';
import { makeSyntheticLeads } from '../classifier/synthetic-leads.ts';
import { screenForClassifier } from '../classifier/training.ts';
import { canMerge, mergeLearning, takeBaseline } from './model-merge.ts';

const examples = makeSyntheticLeads(40, 0.5, 3).map((item) => ({
  ...screenForClassifier(item.lead, { now: 0 }),
  label: item.label,
}));

describe('mergeLearning', () => {
  it('adds what one copy learned since the common snapshot onto another copy', () => {
    const common = new SpamClassifier({ bits: 16 }, 'line');
    const mine = parseModel(serialiseModel(common));
    const theirs = parseModel(serialiseModel(common));
    const baseline = takeBaseline(mine);
    for (const [i, item] of examples.entries())
      (i % 2 === 0 ? mine : theirs).learn(item.prepared, item.signals, item.label);
    const expected = new Float32Array(theirs.weights as Float32Array);
    (mine.weights as Float32Array).forEach((w, i) => {
      expected[i] = (expected[i] as number) + w - ((baseline.weights as Float32Array)[i] as number);
    });
    mergeLearning(theirs, mine, baseline);
    expect(theirs.examples).toBe(examples.length);
    expect(Array.from(theirs.weights as Float32Array)).toEqual(Array.from(expected));
  });

  it('refuses to merge models whose feature tables differ', () => {
    expect(canMerge(new SpamClassifier({ bits: 16 }), new SpamClassifier({ bits: 18 }))).toBe(false);
    expect(canMerge(new SpamClassifier({ bits: 16 }), new SpamClassifier({ bits: 16 }))).toBe(true);
  });
});
