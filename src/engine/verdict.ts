// The one function that turns signals into a verdict: list decisions first, then the score against the threshold.
import type { DecidedBy, Outcome, Signal, Verdict } from './types.ts';

/**
 * Block and allow rules override the score. When several match, the most specific dimension
 * wins (an allowed address beats a blocked domain); on a tie, block wins, since a block rule is
 * the user's explicit word and releasing from quarantine is one click while a lost sale is not
 * recoverable either way. `allowlist_miss` ranks below any explicit rule.
 */
export function decideVerdict(signals: readonly Signal[], threshold: number): Verdict {
  let score = 0;
  let strongest: Signal | undefined;
  for (const signal of signals) {
    score += signal.score;
    const hard = signal.hard;
    if (!hard) continue;
    const best = strongest?.hard;
    if (
      !best ||
      hard.specificity > best.specificity ||
      (hard.specificity === best.specificity && hard.kind === 'block' && best.kind !== 'block')
    )
      strongest = signal;
  }
  score = Math.round(score * 1000) / 1000;
  let outcome: Outcome = score >= threshold ? 'quarantine' : 'ham';
  let decidedBy: DecidedBy = 'score';
  switch (strongest?.hard?.kind) {
    case 'block':
      outcome = 'quarantine';
      decidedBy = 'block_rule';
      break;
    case 'allow':
      outcome = 'ham';
      decidedBy = 'allow_rule';
      break;
    case 'allowlist_miss':
      outcome = 'quarantine';
      decidedBy = 'allowlist_only';
      break;
  }
  return { score, outcome, decidedBy, threshold, signals };
}
