// Explanations: which readable features (words, pairs, domains, signals) pushed a lead towards spam, for staff to see why.
import type { PreparedLead } from '../engine/prepare.ts';
import type { Signal } from '../engine/types.ts';
import { extractFeatures } from './features.ts';
import type { FeatureOptions } from './features.ts';

/**
 * The `count` named features with the largest pull towards spam. Re-extracts with names, so it
 * costs more than a prediction: call it only for leads the classifier actually scores.
 */
export function explainFeatures(
  lead: PreparedLead,
  signals: readonly Signal[],
  features: FeatureOptions,
  contributionOf: (hash: number, featureCount: number) => number,
  count = 5,
): string[] {
  const set = extractFeatures(lead, signals, features, true);
  const names = set.names;
  if (!names) return [];
  const n = set.hashes.length;
  const scored: { name: string; pull: number }[] = [];
  for (const [hash, name] of names) {
    const pull = contributionOf(hash, n);
    if (pull > 0) scored.push({ name, pull });
  }
  scored.sort((a, b) => b.pull - a.pull);
  const seen = new Set<string>();
  const top: string[] = [];
  for (const item of scored) {
    if (seen.has(item.name)) continue;
    seen.add(item.name);
    top.push(item.name);
    if (top.length >= count) break;
  }
  return top;
}
