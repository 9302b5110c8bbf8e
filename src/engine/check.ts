// The shape of a check: a named, pure function from a prepared lead and its context to signals.
import type { CompiledConfig } from './compile.ts';
import type { PreparedLead } from './prepare.ts';
import type { AccountConfigInput } from './config.ts';
import type { SpamModel } from './model.ts';
import type { Channel, Facts, Lead, Signal } from './types.ts';

/** What a check sees besides the lead: the compiled account configuration and the gathered facts. */
export interface CheckContext {
  readonly config: CompiledConfig;
  readonly facts: Facts;
  /** This check's score after layering (its default unless configuration overrides it). */
  readonly score: number;
  /** This check's options after layering. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The trained classifier, when one is loaded. */
  readonly model: SpamModel | undefined;
  /** Signals of the checks that ran before this one (the classifier runs last and reads them). */
  readonly signals: readonly Signal[];
}

/** A signal before the engine stamps the check's name on it. */
export type Finding = Omit<Signal, 'check'>;

/** A worked example: the generic check test screens it and expects a hit or a miss. */
export interface CheckExample {
  readonly title: string;
  readonly lead: Lead;
  readonly config?: AccountConfigInput;
  readonly facts?: Partial<Facts>;
}

export interface CheckDefinition {
  /** Stable snake_case name, never reused for another meaning. */
  readonly name: string;
  readonly description: string;
  readonly defaultScore: number;
  /** Channels that carry this check's input; on others the check is silent. All channels when omitted. */
  readonly channels?: readonly Channel[];
  readonly run: (lead: PreparedLead, ctx: CheckContext) => readonly Finding[];
  readonly examples: { readonly hit: readonly CheckExample[]; readonly miss: readonly CheckExample[] };
}

/** Declares a check; the identity function keeps definitions typed and greppable. */
export function defineCheck(definition: CheckDefinition): CheckDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name))
    throw new Error(`check name must be snake_case: ${definition.name}`);
  return Object.freeze(definition);
}
