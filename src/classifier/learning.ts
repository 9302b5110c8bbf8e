// What the service calls when users mark leads: learn and unlearn marks, guarded automatic training, and the per-account model blended with the global one.
import type { PreparedLead } from '../engine/prepare.ts';
import type { Signal } from '../engine/types.ts';
import { extractFeatures } from './features.ts';
import { SpamClassifier, sigmoid } from './spam-classifier.ts';
import type { ExplainableModel, Label } from './spam-classifier.ts';
import { explainFeatures } from './explain.ts';

/** What learning a mark changed; store it with the mark (JSON) so undoing the mark reverses it exactly. */
export interface MarkReceipt {
  readonly label: Label;
  /** The logistic step added to each of the lead's features. */
  readonly step: number;
  /** The model version it was learned into: a receipt only reverses exactly on that model's line. */
  readonly modelVersion: string;
}

/**
 * Learns one user mark ("spam" / "not spam") into a model. Call it for the account's model and the
 * global one. Pass the signals of the checks other than the classifier, as screened.
 */
export function learnMark(
  model: SpamClassifier,
  lead: PreparedLead,
  signals: readonly Signal[],
  label: Label,
): MarkReceipt {
  return { label, step: model.learn(lead, signals, label), modelVersion: model.version };
}

/**
 * Unlearns a mark that was undone: pass the same lead, signals and label that were learned, and its
 * receipt when kept (exact reversal); without one the model steps back approximately.
 */
export function unlearnMark(
  model: SpamClassifier,
  lead: PreparedLead,
  signals: readonly Signal[],
  label: Label,
  receipt?: MarkReceipt,
): void {
  const exact =
    receipt && receipt.label === label && receipt.modelVersion === model.version ? receipt.step : undefined;
  model.unlearn(lead, signals, label, exact);
}

export interface AutoTrainOptions {
  /** The model must already be at least this sure of the label (0.99: one wrong in a hundred at most). */
  readonly minConfidence?: number;
  /** Skip when the label's class already outnumbers the other by this factor: automatic verdicts must not swamp marks. */
  readonly maxImbalance?: number;
}

/**
 * Learns an automatic verdict only when the model itself is very confident of it, so the model
 * cannot teach itself its own borderline mistakes, and only while classes stay balanced.
 * Returns whether it learned.
 */
export function learnAutomatic(
  model: SpamClassifier,
  lead: PreparedLead,
  signals: readonly Signal[],
  label: Label,
  options: AutoTrainOptions = {},
): boolean {
  const minConfidence = options.minConfidence ?? 0.99;
  const maxImbalance = options.maxImbalance ?? 4;
  const own = label === 'spam' ? model.spamExamples : model.hamExamples;
  const other = label === 'spam' ? model.hamExamples : model.spamExamples;
  if (own + 1 > maxImbalance * Math.max(other, 1)) return false;
  const hashes = extractFeatures(lead, signals, model.options.features).hashes;
  const p = sigmoid(model.logitOfFeatures(hashes));
  const confidence = label === 'spam' ? p : 1 - p;
  if (confidence < minConfidence) return false;
  model.updateFeatures(hashes, label, 1);
  return true;
}

/** A fresh model for one account, sharing the global model's features so one extraction serves both. */
export function createAccountModel(global: SpamClassifier, bits = 18): SpamClassifier {
  return new SpamClassifier({ ...global.options, bits }, `account-of-${global.version}`);
}

export interface BlendOptions {
  /** Account examples at which the account model gets half the say; it approaches all of it past that. */
  readonly halfWeightAt?: number;
}

/** Share of the account model in the blend: 0 with no examples of its own, n / (n + halfWeightAt) after. */
export function accountShare(accountExamples: number, halfWeightAt = 200): number {
  return accountExamples <= 0 ? 0 : accountExamples / (accountExamples + halfWeightAt);
}

export interface BlendedModel extends ExplainableModel {
  readonly global: SpamClassifier;
  readonly account: SpamClassifier | undefined;
}

/**
 * The model an account screens with: global and account logits averaged, the account's share
 * growing with its own examples. Calibration (where the score meets the threshold) is the global one's.
 */
export function createBlendedModel(
  global: SpamClassifier,
  account: SpamClassifier | undefined,
  options: BlendOptions = {},
): BlendedModel {
  const sameFeatures =
    account !== undefined &&
    JSON.stringify(account.options.features) === JSON.stringify(global.options.features);
  const predictLogit = (lead: PreparedLead, signals: readonly Signal[]): number => {
    const share = account ? accountShare(account.examples, options.halfWeightAt) : 0;
    if (!account || share === 0) return global.predictLogit(lead, signals);
    if (sameFeatures) {
      const hashes = extractFeatures(lead, signals, global.options.features).hashes;
      return (1 - share) * global.logitOfFeatures(hashes) + share * account.logitOfFeatures(hashes);
    }
    return (1 - share) * global.predictLogit(lead, signals) + share * account.predictLogit(lead, signals);
  };
  return {
    global,
    account,
    get version() {
      return account ? `${global.version}+account` : global.version;
    },
    get examples() {
      return global.examples + (account?.examples ?? 0);
    },
    get calibration() {
      return global.calibration;
    },
    predictLogit,
    predict: (lead, signals) => sigmoid(predictLogit(lead, signals)),
    explain(lead, signals, count = 5) {
      const share = account ? accountShare(account.examples, options.halfWeightAt) : 0;
      if (!account || share === 0 || !sameFeatures) return global.explain(lead, signals, count);
      return explainFeatures(
        lead,
        signals,
        global.options.features,
        (hash, n) => (1 - share) * global.contributionOf(hash, n) + share * account.contributionOf(hash, n),
        count,
      );
    },
  };
}
