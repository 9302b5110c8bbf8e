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
  // Keep the strongest few by index; names are built for those only.
  const top: { index: number; pull: number }[] = [];
  const keep = count * 3;
  names.hashes.forEach((hash, index) => {
    const pull = contributionOf(hash, n);
    if (pull <= 0 || (top.length >= keep && pull <= (top[top.length - 1] as { pull: number }).pull)) return;
    top.push({ index, pull });
    top.sort((a, b) => b.pull - a.pull);
    if (top.length > keep) top.pop();
  });
  const result: string[] = [];
  for (const item of top) {
    const name = names.nameAt(item.index);
    if (name && !result.includes(name)) result.push(name);
    if (result.length >= count) break;
  }
  return result;
}
