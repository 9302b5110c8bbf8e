// The learning classifier: hashed logistic regression and naive Bayes over the same features, alone or as an ensemble, updated one example at a time.
import type { PreparedLead } from '../engine/prepare.ts';
import type { SpamModel } from '../engine/model.ts';
import type { Signal } from '../engine/types.ts';
import { defaultFeatureOptions, extractFeatures } from './features.ts';
import type { FeatureOptions } from './features.ts';
import { explainFeatures } from './explain.ts';

export type ModelKind = 'logistic' | 'bayes' | 'ensemble';
export type Label = 'spam' | 'ham';

export interface ClassifierOptions {
  readonly kind: ModelKind;
  /** log2 of the hashed feature table size. */
  readonly bits: number;
  readonly features: FeatureOptions;
  /** Logistic regression step size (features are scaled to unit length). */
  readonly learningRate: number;
  /** Naive Bayes additive smoothing. */
  readonly smoothing: number;
  /** In an ensemble, naive Bayes evidence is scaled like the logistic score (by 1/sqrt(features)) and divided by this. */
  readonly bayesScale: number;
  /** Largest weight a rare class gets when classes are balanced. */
  readonly maxClassWeight: number;
}

export const defaultClassifierOptions: ClassifierOptions = Object.freeze({
  kind: 'logistic',
  bits: 20,
  features: defaultFeatureOptions,
  learningRate: 0.5,
  smoothing: 0.5,
  bayesScale: 1,
  maxClassWeight: 5,
});

/** Where the classifier alone reaches the product's quarantine threshold, measured by cross-validation at training time. */
export interface Calibration {
  /** Logit at which the classifier alone reaches the quarantine threshold (the score is linear in the logit, 0 at 50%). */
  readonly cutLogit: number;
}

export const defaultCalibration: Calibration = Object.freeze({ cutLogit: 3 });

const MIN_UNLEARN = 0.05;
export const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const clampLogit = (z: number): number => (z > 30 ? 30 : z < -30 ? -30 : z);

/** A model the classifier check can calibrate and explain; both the plain and the blended model are one. */
export interface ExplainableModel extends SpamModel {
  readonly calibration: Calibration;
  predictLogit(lead: PreparedLead, signals: readonly Signal[]): number;
  /** Readable features that pushed this lead towards spam, strongest first. */
  explain(lead: PreparedLead, signals: readonly Signal[], count?: number): string[];
}

export function isExplainableModel(model: SpamModel): model is ExplainableModel {
  const candidate = model as Partial<ExplainableModel>;
  return (
    typeof candidate.predictLogit === 'function' &&
    typeof candidate.explain === 'function' &&
    !!candidate.calibration
  );
}

export class SpamClassifier implements ExplainableModel {
  version: string;
  readonly options: ClassifierOptions;
  readonly mask: number;
  /** Logistic regression weights, indexed by hash & mask. */
  readonly weights: Float32Array | undefined;
  /** Naive Bayes per-feature weighted counts for each class. */
  readonly spamCounts: Float32Array | undefined;
  readonly hamCounts: Float32Array | undefined;
  spamExamples = 0;
  hamExamples = 0;
  calibration: Calibration = defaultCalibration;

  constructor(options: Partial<ClassifierOptions> = {}, version = 'untrained') {
    const o = { ...defaultClassifierOptions, ...options };
    // Only the model's own settings: training options (epochs, seed) ride along in the same object.
    this.options = Object.freeze({
      kind: o.kind,
      bits: o.bits,
      features: Object.freeze({ ...o.features }),
      learningRate: o.learningRate,
      smoothing: o.smoothing,
      bayesScale: o.bayesScale,
      maxClassWeight: o.maxClassWeight,
    });
    if (this.options.bits < 10 || this.options.bits > 24)
      throw new RangeError('bits must be between 10 and 24');
    this.version = version;
    const size = 1 << this.options.bits;
    this.mask = size - 1;
    const kind = this.options.kind;
    this.weights = kind === 'bayes' ? undefined : new Float32Array(size);
    this.spamCounts = kind === 'logistic' ? undefined : new Float32Array(size);
    this.hamCounts = kind === 'logistic' ? undefined : new Float32Array(size);
  }

  get examples(): number {
    return this.spamExamples + this.hamExamples;
  }

  /** Weight of one example of `label` so both classes pull equally however skewed the marks are. */
  classWeight(label: Label): number {
    const own = label === 'spam' ? this.spamExamples : this.hamExamples;
    const other = label === 'spam' ? this.hamExamples : this.spamExamples;
    if (own === 0 || other === 0) return 1;
    const weight = (own + other) / (2 * own);
    return Math.min(this.options.maxClassWeight, Math.max(1 / this.options.maxClassWeight, weight));
  }

  logitOfFeatures(hashes: Uint32Array): number {
    let z = 0;
    const mask = this.mask;
    if (this.weights) {
      const w = this.weights;
      let sum = 0;
      for (let i = 0; i < hashes.length; i++) sum += w[(hashes[i] as number) & mask] as number;
      z += sum / Math.sqrt(hashes.length || 1);
    }
    if (this.spamCounts && this.hamCounts)
      z +=
        this.bayesLogit(hashes) /
        (this.weights ? this.options.bayesScale * Math.sqrt(hashes.length || 1) : 1);
    return z;
  }

  /** Per-feature evidence summed with equal priors (the classes are balanced by construction). */
  bayesLogit(hashes: Uint32Array): number {
    const spam = this.spamCounts as Float32Array;
    const ham = this.hamCounts as Float32Array;
    const a = this.options.smoothing;
    const spamTotal = Math.log(this.spamExamples + 2 * a);
    const hamTotal = Math.log(this.hamExamples + 2 * a);
    const mask = this.mask;
    let z = 0;
    for (let i = 0; i < hashes.length; i++) {
      const slot = (hashes[i] as number) & mask;
      const s = spam[slot] as number;
      const h = ham[slot] as number;
      if (s === 0 && h === 0) continue;
      z += Math.log(s + a) - spamTotal - Math.log(h + a) + hamTotal;
    }
    return z;
  }

  /** One feature's pull towards spam (positive) or ham (negative), for explanations. */
  contributionOf(hash: number, featureCount: number): number {
    const slot = hash & this.mask;
    let c = 0;
    if (this.weights) c += (this.weights[slot] as number) / Math.sqrt(featureCount || 1);
    if (this.spamCounts && this.hamCounts) {
      const a = this.options.smoothing;
      const s = this.spamCounts[slot] as number;
      const h = this.hamCounts[slot] as number;
      if (s !== 0 || h !== 0) {
        const nb =
          Math.log((s + a) / (this.spamExamples + 2 * a)) - Math.log((h + a) / (this.hamExamples + 2 * a));
        c += nb / (this.weights ? this.options.bayesScale * Math.sqrt(featureCount || 1) : 1);
      }
    }
    return c;
  }

  predictLogit(lead: PreparedLead, signals: readonly Signal[]): number {
    return this.logitOfFeatures(extractFeatures(lead, signals, this.options.features).hashes);
  }

  predict(lead: PreparedLead, signals: readonly Signal[]): number {
    return sigmoid(this.predictLogit(lead, signals));
  }

  /**
   * Learns (direction 1) or unlearns (direction -1) one example and returns the logistic step it
   * applied. Naive Bayes unlearning is exact (counts go back). Logistic unlearning is exact when
   * given the step its learning returned (`exactStep`: the same amount is taken off the same
   * features); without it, the model steps backwards at its current weights, which undoes the
   * example up to what later examples changed.
   */
  updateFeatures(
    hashes: Uint32Array,
    label: Label,
    direction: 1 | -1 = 1,
    weight = this.classWeight(label),
    exactStep?: number,
  ): number {
    const step = this.stepLogistic(hashes, label, direction, weight, exactStep);
    this.countBayes(hashes, label, direction);
    if (label === 'spam') this.spamExamples = Math.max(0, this.spamExamples + direction);
    else this.hamExamples = Math.max(0, this.hamExamples + direction);
    return step;
  }

  /** Adds `step` to each feature's weight; returns it. With `exactStep`, that step is taken back. */
  stepLogistic(
    hashes: Uint32Array,
    label: Label,
    direction: 1 | -1,
    weight: number,
    exactStep?: number,
  ): number {
    const w = this.weights;
    if (!w) return 0;
    if (exactStep !== undefined && Number.isFinite(exactStep)) {
      this.addToWeights(hashes, -exactStep);
      return -exactStep;
    }
    const mask = this.mask;
    const scale = 1 / Math.sqrt(hashes.length || 1);
    let sum = 0;
    for (let i = 0; i < hashes.length; i++) sum += w[(hashes[i] as number) & mask] as number;
    const p = sigmoid(clampLogit(sum * scale));
    // An unlearning step never shrinks to nothing, even when the model already agrees with the undone label.
    const error =
      direction === 1
        ? label === 'spam'
          ? 1 - p
          : -p
        : label === 'spam'
          ? -Math.max(1 - p, MIN_UNLEARN)
          : Math.max(p, MIN_UNLEARN);
    const step = this.options.learningRate * weight * error * scale;
    this.addToWeights(hashes, step);
    return step;
  }

  addToWeights(hashes: Uint32Array, step: number): void {
    const w = this.weights;
    if (!w) return;
    const mask = this.mask;
    for (let i = 0; i < hashes.length; i++) {
      const slot = (hashes[i] as number) & mask;
      w[slot] = (w[slot] as number) + step;
    }
  }

  countBayes(hashes: Uint32Array, label: Label, direction: 1 | -1): void {
    const counts = label === 'spam' ? this.spamCounts : this.hamCounts;
    if (!counts) return;
    const mask = this.mask;
    for (let i = 0; i < hashes.length; i++) {
      const slot = (hashes[i] as number) & mask;
      counts[slot] = Math.max(0, (counts[slot] as number) + direction);
    }
  }

  explain(lead: PreparedLead, signals: readonly Signal[], count = 5): string[] {
    return explainFeatures(
      lead,
      signals,
      this.options.features,
      (hash, n) => this.contributionOf(hash, n),
      count,
    );
  }

  /** Learns one example; returns the logistic step, which `unlearn` takes back exactly. */
  learn(lead: PreparedLead, signals: readonly Signal[], label: Label): number {
    return this.updateFeatures(extractFeatures(lead, signals, this.options.features).hashes, label, 1);
  }

  unlearn(lead: PreparedLead, signals: readonly Signal[], label: Label, exactStep?: number): void {
    this.updateFeatures(
      extractFeatures(lead, signals, this.options.features).hashes,
      label,
      -1,
      this.classWeight(label),
      exactStep,
    );
  }
}
