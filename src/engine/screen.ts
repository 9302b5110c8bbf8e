// screenLead: runs every enabled check on one lead and decides the verdict. Pure: no I/O, no clock.
import { checks } from '../checks/index.ts';
import type { CheckContext, CheckDefinition } from './check.ts';
import type { CompiledConfig } from './compile.ts';
import type { SpamModel } from './model.ts';
import { prepareLead } from './prepare.ts';
import type { PreparedLead } from './prepare.ts';
import type { Facts, Lead, Signal, Verdict } from './types.ts';
import { decideVerdict } from './verdict.ts';

export interface ScreenOptions {
  /** The trained classifier, if any; the classifier check is silent without one. */
  readonly model?: SpamModel;
  /** The checks to run, in order; defaults to the registry. */
  readonly checks?: readonly CheckDefinition[];
}

/** The options of a check the configuration says nothing about: one object for all, never changed. */
const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/** What a check reads besides the lead; one per screening, its per-check parts set before each check runs. */
type MutableContext = { -readonly [K in keyof CheckContext]: CheckContext[K] };

/** Runs one check with `ctx` (its score and options set here) and appends its signals, stamped with the check's name, to `out`. */
function appendSignals(out: Signal[], check: CheckDefinition, lead: PreparedLead, ctx: MutableContext): void {
  const settings = ctx.config.settings.checks.get(check.name);
  if (settings?.enabled === false) return;
  if (check.channels && !check.channels.includes(lead.channel)) return;
  // Checks run one after another and keep nothing of their context: one object serves them all.
  ctx.score = settings?.score ?? check.defaultScore;
  ctx.options = settings?.options ?? NO_OPTIONS;
  const findings = check.run(lead, ctx);
  // Most checks find nothing on most leads: no copying for them.
  for (const finding of findings) out.push({ check: check.name, ...finding });
}

function contextFor(
  config: CompiledConfig,
  facts: Facts,
  model: SpamModel | undefined,
  signals: readonly Signal[],
): MutableContext {
  return { config, facts, score: 0, options: NO_OPTIONS, model, signals };
}

export function runCheck(
  check: CheckDefinition,
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  extra: { model?: SpamModel; signals: readonly Signal[] },
): Signal[] {
  const signals: Signal[] = [];
  appendSignals(signals, check, lead, contextFor(config, facts, extra.model, extra.signals));
  return signals;
}

export function screenPrepared(
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  options: ScreenOptions = {},
): Verdict {
  const signals: Signal[] = [];
  const ctx = contextFor(config, facts, options.model, signals);
  for (const check of options.checks ?? checks) appendSignals(signals, check, lead, ctx);
  return decideVerdict(signals, config.settings.quarantineThreshold);
}

/** Screens one lead. `config` comes from `compileConfig`; `facts` carry what needed I/O. */
export function screenLead(
  lead: Lead,
  config: CompiledConfig,
  facts: Facts,
  options: ScreenOptions = {},
): Verdict {
  return screenPrepared(prepareLead(lead), config, facts, options);
}
