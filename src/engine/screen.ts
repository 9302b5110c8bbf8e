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

/** Runs one check and appends its signals, stamped with the check's name, to `out`. */
function appendSignals(
  out: Signal[],
  check: CheckDefinition,
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  extra: { model?: SpamModel; signals: readonly Signal[] },
): void {
  const settings = config.settings.checks.get(check.name);
  if (settings?.enabled === false) return;
  if (check.channels && !check.channels.includes(lead.channel)) return;
  const ctx: CheckContext = {
    config,
    facts,
    score: settings?.score ?? check.defaultScore,
    options: settings?.options ?? NO_OPTIONS,
    model: extra.model,
    signals: extra.signals,
  };
  const findings = check.run(lead, ctx);
  // Most checks find nothing on most leads: no copying for them.
  for (const finding of findings) out.push({ check: check.name, ...finding });
}

export function runCheck(
  check: CheckDefinition,
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  extra: { model?: SpamModel; signals: readonly Signal[] },
): Signal[] {
  const signals: Signal[] = [];
  appendSignals(signals, check, lead, config, facts, extra);
  return signals;
}

export function screenPrepared(
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  options: ScreenOptions = {},
): Verdict {
  const signals: Signal[] = [];
  const extra = { model: options.model, signals };
  for (const check of options.checks ?? checks) appendSignals(signals, check, lead, config, facts, extra);
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
