// Training from labelled leads: each lead is screened by the other checks first, so their signals become features exactly as at prediction time.
import { checks } from '../checks/index.ts';
import { compileConfig } from '../engine/compile.ts';
import type { CompiledConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';
import type { Facts, Lead, Signal } from '../engine/types.ts';
import { defaultFeatureOptions, extractFeatures } from './features.ts';
import type { FeatureOptions } from './features.ts';
import { createRandom, shuffle } from './random.ts';
import { SpamClassifier } from './spam-classifier.ts';
import type { ClassifierOptions, Label } from './spam-classifier.ts';

export interface LabelledLead {
  readonly lead: Lead;
  readonly label: Label;
  readonly submittedAt?: number;
}

/** A lead as the classifier sees it: prepared, with the signals of every check but the classifier. */
export interface ScreenedLead {
  readonly prepared: PreparedLead;
  readonly signals: readonly Signal[];
}

/** A training example reduced to its feature hashes (owned copy). */
export interface FeatureExample {
  readonly hashes: Uint32Array;
  readonly label: Label;
}

export interface TrainOptions extends Partial<ClassifierOptions> {
  /** Passes over the examples for logistic regression (naive Bayes counts each example once). */
  readonly epochs?: number;
  /** Seed for the shuffle between passes, so a training run is reproducible. */
  readonly seed?: number;
  readonly version?: string;
}

let defaultConfig: CompiledConfig | undefined;

/** Runs the other checks (shipped defaults, no model) over a lead, as the engine does before the classifier. */
export function screenForClassifier(
  lead: Lead,
  facts: Facts = { now: Date.now() },
  config?: CompiledConfig,
): ScreenedLead {
  const compiled = config ?? (defaultConfig ??= compileConfig({}));
  const prepared = prepareLead(lead);
  const signals: Signal[] = [];
  for (const check of checks) {
    if (check.name === 'classifier') continue;
    for (const signal of runCheck(check, prepared, compiled, facts, { signals })) signals.push(signal);
  }
  return { prepared, signals };
}

export function toFeatureExample(
  screened: ScreenedLead,
  label: Label,
  features: FeatureOptions,
): FeatureExample {
  return { hashes: extractFeatures(screened.prepared, screened.signals, features).hashes.slice(), label };
}

/** Trains a fresh classifier on feature examples; classes are weighted by the final counts so both pull equally. */
export function trainOnFeatures(
  examples: readonly FeatureExample[],
  options: TrainOptions = {},
): SpamClassifier {
  const model = new SpamClassifier(options, options.version ?? 'trained');
  const spam = examples.filter((e) => e.label === 'spam').length;
  model.spamExamples = spam;
  model.hamExamples = examples.length - spam;
  const weights = { spam: model.classWeight('spam'), ham: model.classWeight('ham') };
  const random = createRandom(options.seed ?? 1);
  const order = examples.slice();
  const epochs = Math.max(1, options.epochs ?? 5);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const example of order) {
      model.stepLogistic(example.hashes, example.label, 1, weights[example.label]);
      if (epoch === 0) model.countBayes(example.hashes, example.label, 1);
    }
  }
  return model;
}

/** Screens, extracts and trains in one go. */
export function trainClassifier(leads: readonly LabelledLead[], options: TrainOptions = {}): SpamClassifier {
  const features = options.features ?? defaultFeatureOptions;
  const examples = leads.map((item) =>
    toFeatureExample(
      screenForClassifier(item.lead, { now: item.submittedAt ?? Date.now() }),
      item.label,
      features,
    ),
  );
  return trainOnFeatures(examples, options);
}
