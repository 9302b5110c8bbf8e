// Command-line options shared by `train` and `eval`: which model to build and how, validated into training settings.
import type { Command } from 'commander';
import { defaultFeatureOptions } from '../../classifier/features.ts';
import type { TrainSettings } from '../../classifier/evaluate.ts';
import type { ModelKind } from '../../classifier/spam-classifier.ts';

/** A command line that does not make sense; the CLI prints its message (commander's own errors it would swallow). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ModelFlags {
  kind: string;
  epochs: string;
  bits: string;
  learningRate: string;
  grams: string;
  calibrationFolds: string;
  targetFpr: string;
  seed: string;
}

export function addModelOptions(command: Command): Command {
  return command
    .option('--kind <kind>', 'logistic, bayes or ensemble', 'logistic')
    .option('--epochs <n>', 'passes over the data (logistic regression)', '5')
    .option('--bits <n>', 'log2 of the hashed feature table', '20')
    .option('--learning-rate <x>', 'logistic regression step size', '0.5')
    .option('--grams <n>', 'character n-gram length, 0 for none', String(defaultFeatureOptions.gramSize))
    .option(
      '--calibration-folds <n>',
      'inner cross-validation folds that place the score cut (0: default cut)',
      '5',
    )
    .option('--target-fpr <x>', 'ham false-positive rate the cut aims at, other checks included', '0.002')
    .option('--seed <n>', 'seed for shuffles and folds', '1');
}

function number(flag: string, value: string, min: number, max: number, integer = true): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
    throw new UsageError(`${flag} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
  return n;
}

export function toTrainSettings(flags: ModelFlags): TrainSettings {
  if (!['logistic', 'bayes', 'ensemble'].includes(flags.kind))
    throw new UsageError('--kind must be logistic, bayes or ensemble');
  return {
    kind: flags.kind as ModelKind,
    epochs: number('--epochs', flags.epochs, 1, 100),
    bits: number('--bits', flags.bits, 10, 24),
    learningRate: number('--learning-rate', flags.learningRate, 0.0001, 100, false),
    features: { ...defaultFeatureOptions, gramSize: number('--grams', flags.grams, 0, 3) },
    calibrationFolds: number('--calibration-folds', flags.calibrationFolds, 0, 20),
    targetFpr: number('--target-fpr', flags.targetFpr, 0, 1, false),
    seed: number('--seed', flags.seed, 0, 2 ** 31),
  };
}
