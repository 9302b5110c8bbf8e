// Merging learned models across instances: what a model held when last stored, and how to add this instance's unsaved learning onto a newer snapshot.
import type { SpamClassifier } from '../classifier/spam-classifier.ts';

/** The learnable state of a model at one moment (copies, not views). */
export interface ModelBaseline {
  readonly weights: Float32Array | undefined;
  readonly spamCounts: Float32Array | undefined;
  readonly hamCounts: Float32Array | undefined;
  readonly spamExamples: number;
  readonly hamExamples: number;
}

export function takeBaseline(model: SpamClassifier): ModelBaseline {
  return {
    weights: model.weights?.slice(),
    spamCounts: model.spamCounts?.slice(),
    hamCounts: model.hamCounts?.slice(),
    spamExamples: model.spamExamples,
    hamExamples: model.hamExamples,
  };
}

/** Learning only adds to weights and counts, so two instances' learning since a common snapshot sums. */
export function canMerge(into: SpamClassifier, mine: SpamClassifier): boolean {
  return (
    into.options.kind === mine.options.kind &&
    into.options.bits === mine.options.bits &&
    JSON.stringify(into.options.features) === JSON.stringify(mine.options.features)
  );
}

function addDifference(
  into: Float32Array | undefined,
  mine: Float32Array | undefined,
  base: Float32Array | undefined,
  floor: number,
): void {
  if (!into || !mine || !base) return;
  for (let i = 0; i < into.length; i++) {
    const delta = (mine[i] as number) - (base[i] as number);
    if (delta !== 0) into[i] = Math.max(floor, (into[i] as number) + delta);
  }
}

/** Adds what `mine` learned since `base` onto `into` (a newer stored snapshot), in place. */
export function mergeLearning(into: SpamClassifier, mine: SpamClassifier, base: ModelBaseline): void {
  addDifference(into.weights, mine.weights, base.weights, -Infinity);
  addDifference(into.spamCounts, mine.spamCounts, base.spamCounts, 0);
  addDifference(into.hamCounts, mine.hamCounts, base.hamCounts, 0);
  into.spamExamples = Math.max(0, into.spamExamples + mine.spamExamples - base.spamExamples);
  into.hamExamples = Math.max(0, into.hamExamples + mine.hamExamples - base.hamExamples);
}
