// Explanations: which readable features (words, pairs, domains, signals) pushed a lead towards spam, for staff to see why.
import type { PreparedLead } from '../engine/prepare.ts';
import type { Signal } from '../engine/types.ts';
import { extractFeatures } from './features.ts';
import type { FeatureOptions } from './features.ts';

/** Words that carry weight in the model but tell staff nothing ("your", "for your"). */
const FUNCTION_WORDS = new Set(
  'a an and are as at be by can do for from have he her his i if in is it me my no not of on or our she so that the their them they this to us was we were will with you your http https www com'.split(
    ' ',
  ),
);

function isFunctionWords(name: string): boolean {
  return name
    .replace(/^(?:subject|name):/, '')
    .split(' ')
    .every((word) => FUNCTION_WORDS.has(word));
}

/**
 * The `count` named features with the largest pull towards spam. Re-extracts with names, so it
 * costs more than a prediction: call it only for leads the classifier actually scores.
 *
 * Character n-grams have no names, so by default none are extracted here (half the work). Every feature's
 * contribution scales with one 1/sqrt(feature count), so the smaller count without them ranks the named ones
 * the same: `withGrams` extracts them anyway, as the prediction did, for tests that hold the two equal.
 */
export function explainFeatures(
  lead: PreparedLead,
  signals: readonly Signal[],
  features: FeatureOptions,
  contributionOf: (hash: number, featureCount: number) => number,
  count = 5,
  withGrams = false,
): string[] {
  const set = extractFeatures(lead, signals, withGrams ? features : { ...features, gramSize: 0 }, true);
  const names = set.names;
  if (!names) return [];
  const n = set.hashes.length;
  // Keep the strongest few by index, in order, by insertion (a full sort per candidate costs more
  // than the prediction); names are built for those only.
  const keep = count * 4;
  const indices: number[] = [];
  const pulls: number[] = [];
  const hashes = names.hashes;
  for (let index = 0; index < hashes.length; index++) {
    const pull = contributionOf(hashes[index] as number, n);
    if (pull <= 0) continue;
    let at = pulls.length;
    if (at >= keep && pull <= (pulls[at - 1] as number)) continue;
    while (at > 0 && (pulls[at - 1] as number) < pull) at--;
    pulls.splice(at, 0, pull);
    indices.splice(at, 0, index);
    if (pulls.length > keep) {
      pulls.pop();
      indices.pop();
    }
  }
  const result: string[] = [];
  for (const index of indices) {
    const name = names.nameAt(index);
    if (name && !result.includes(name) && !isFunctionWords(name)) result.push(name);
    if (result.length >= count) break;
  }
  return result;
}
