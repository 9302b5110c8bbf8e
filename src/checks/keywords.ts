// keywords: the account's spam phrases, found anywhere in any submitted field (folded: case, accents, look-alikes).
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import { foldText } from '../engine/text.ts';

/** Phrases listed per lead; more would only bury the reason. */
const MAX_LISTED = 10;

/**
 * Which field a position in `lead.folded` falls in. Folding a field on its own gives the same text
 * as folding the joined fields (newlines are boundaries for every step), so lengths add up.
 * Only runs on a hit, so ham pays nothing.
 */
function fieldAt(lead: PreparedLead, index: number): string | undefined {
  let offset = 0;
  for (const field of lead.fields) {
    offset += foldText(field.value).length + 1;
    if (index < offset) return field.path;
  }
  return undefined;
}

export const keywords = defineCheck({
  name: 'keywords',
  description:
    "A phrase from the account's keyword list appears in a submitted field. One hit reaches the quarantine threshold on its own.",
  defaultScore: 6,
  run(lead, ctx) {
    const matcher = ctx.config.keywords;
    if (matcher.size === 0) return [];
    const hits = matcher.findAll(lead.folded, MAX_LISTED, lead.ascii);
    if (hits.length === 0) return [];
    const each = ctx.score;
    // A keyword hit must quarantine (glossary): the first one is worth at least the threshold.
    const first = each > 0 ? Math.max(each, ctx.config.settings.quarantineThreshold) : each;
    const cap = Math.max(first, each * 3);
    let total = 0;
    return hits.map((hit, i): Finding => {
      const wanted = i === 0 ? first : each;
      const score = each > 0 ? Math.max(0, Math.min(wanted, cap - total)) : wanted;
      total += score;
      const field = fieldAt(lead, hit.index);
      return {
        score,
        reason: `contains the keyword "${hit.phrase}"${field ? ` in ${field}` : ''}`,
        evidence: hit.phrase.slice(0, 200),
      };
    });
  },
  examples: {
    hit: [
      {
        title: 'a listed phrase in shouting capitals',
        lead: { channel: 'form', message: 'BUY CHEAP VIAGRA NOW!!!' },
        config: { keywords: ['cheap viagra'] },
      },
      {
        title: 'a phrase hidden with Cyrillic look-alikes in a custom field',
        lead: { channel: 'form', fields: { comments: 'best саsinо bonus' } },
        config: { keywords: [{ id: 'k1', phrase: 'casino' }] },
      },
    ],
    miss: [
      {
        title: 'the phrase inside a longer word',
        lead: { channel: 'form', message: 'We visited Essex last week' },
        config: { keywords: ['sex'] },
      },
      { title: 'no keywords configured', lead: { channel: 'form', message: 'cheap viagra' }, config: {} },
    ],
  },
});
