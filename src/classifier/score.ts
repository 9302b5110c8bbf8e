// From logit to score: the linear map the classifier check uses, shared with calibration so both agree exactly.
import type { Signal } from '../engine/types.ts';
import type { Calibration } from './spam-classifier.ts';

/**
 * Checks whose evidence the classifier may never cancel: a bot's behaviour (honeypot, render token,
 * flood), the account's own keywords and rules. Content heuristics (links, shouting, a bad email)
 * it may offset: links are common in honest leads (in the dev corpus a quarter of the ham scores 5
 * on links alone) and the model learns from marks when they are.
 */
export const firmChecks: ReadonlySet<string> = new Set([
  'honeypot',
  'render_token',
  'frequency',
  'keywords',
  'rules',
]);

/** Confident ham takes off at most this many times the score at the cut. */
export const lowestShare = 2;

/** 0 when a firm check already found something, so the classifier can only add to it. */
export function floorShareFor(signals: readonly Signal[]): number {
  for (const signal of signals) if (signal.score > 0 && firmChecks.has(signal.check)) return 0;
  return lowestShare;
}

/**
 * Score of a logit: 0 at 50%, `scoreAtCut` (the threshold, 5 by default) at the calibrated cut,
 * linear in between and beyond, capped at twice `scoreAtCut` and at `-floorShare × scoreAtCut` below.
 */
export function scoreOfLogit(
  logit: number,
  calibration: Calibration,
  scoreAtCut: number,
  floorShare = lowestShare,
): number {
  const raw = (scoreAtCut * logit) / calibration.cutLogit;
  const capped = Math.max(-floorShare * scoreAtCut, Math.min(2 * scoreAtCut, raw));
  // `|| 0` turns -0 into 0: a silent check reads as 0 in every output.
  return Math.round(capped * 100) / 100 || 0;
}
