// What the engine needs from a trained classifier; the classifier package provides implementations.
import type { PreparedLead } from './prepare.ts';
import type { Signal } from './types.ts';

export interface SpamModel {
  /** Identifies the model build, shown in the classifier's reason. */
  readonly version: string;
  /** Labelled examples learned so far (both classes); the classifier check is silent below its minimum. */
  readonly examples: number;
  /** Probability in [0, 1] that the lead is spam, given the lead and the other checks' signals. */
  predict(lead: PreparedLead, signals: readonly Signal[]): number;
}
