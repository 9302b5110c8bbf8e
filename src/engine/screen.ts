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

export function runCheck(
  check: CheckDefinition,
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  extra: { model?: SpamModel; signals: readonly Signal[] },
): Signal[] {
  const settings = config.settings.checks.get(check.name);
  if (settings?.enabled === false) return [];
  if (check.channels && !check.channels.includes(lead.channel)) return [];
  const ctx: CheckContext = {
    config,
    facts,
    score: settings?.score ?? check.defaultScore,
    options: settings?.options ?? {},
    model: extra.model,
    signals: extra.signals,
  };
  return check.run(lead, ctx).map((finding) => ({ check: check.name, ...finding }));
}

export function screenPrepared(
  lead: PreparedLead,
  config: CompiledConfig,
  facts: Facts,
  options: ScreenOptions = {},
): Verdict {
  const signals: Signal[] = [];
  for (const check of options.checks ?? checks) {
    for (const signal of runCheck(check, lead, config, facts, { model: options.model, signals }))
      signals.push(signal);
  }
  return decideVerdict(signals, config.settings.quarantineThreshold);
}

/** Screens one lead. `config` comes from `compileConfig`; `facts` carry what needed I/O. */
export function screenLead(lead: Lead, config: CompiledConfig, facts: Facts, options: ScreenOptions = {}): Verdict {
  return screenPrepared(prepareLead(lead), config, facts, options);
}
