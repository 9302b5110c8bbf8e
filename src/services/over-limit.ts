// Leads from an IP already past its frequency limit: decided by that limit and the account's lists alone, without the other checks.
import { frequency } from '../checks/frequency.ts';
import { rules } from '../checks/rules.ts';
import type { CompiledConfig } from '../engine/compile.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';
import type { Facts, Signal, Verdict } from '../engine/types.ts';
import { decideVerdict } from '../engine/verdict.ts';

/** Added to the frequency signal's reason, so staff see why the lead carries no other findings. */
export const skippedChecksNote = 'other checks skipped while this IP is over the limit';

/**
 * True when the frequency check alone quarantines this lead whatever the other checks find: the IP is past the
 * limit, the check's score reaches the threshold, and no enabled check is set to a negative score that could take
 * it back below. (The classifier never subtracts beside a frequency finding.) A flood then costs no screening.
 */
export function isOverFrequencyLimit(ipCount: number | undefined, config: CompiledConfig): boolean {
  const { settings } = config;
  if (typeof ipCount !== 'number' || !Number.isFinite(ipCount) || ipCount <= settings.frequency.limit)
    return false;
  const own = settings.checks.get(frequency.name);
  if (own?.enabled === false) return false;
  if ((own?.score ?? frequency.defaultScore) < settings.quarantineThreshold) return false;
  for (const [name, check] of settings.checks)
    if (name !== frequency.name && check.enabled !== false && (check.score ?? 0) < 0) return false;
  return true;
}

/**
 * The verdict of an over-limit lead: the frequency signal (with its usual score, and a note that the rest was
 * skipped) plus the account's block and allow rules, which still decide as they would (an allowed address is
 * accepted). Only for leads `isOverFrequencyLimit` accepts.
 */
export function screenOverLimit(lead: PreparedLead, config: CompiledConfig, facts: Facts): Verdict {
  const signals: Signal[] = runCheck(frequency, lead, config, facts, { signals: [] }).map((signal) => ({
    ...signal,
    reason: `${signal.reason}; ${skippedChecksNote}`,
  }));
  signals.push(...runCheck(rules, lead, config, facts, { signals }));
  return decideVerdict(signals, config.settings.quarantineThreshold);
}
