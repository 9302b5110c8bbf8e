// duplicate_body: other senders already sent this same message body (by content fingerprint).
import { defineCheck } from '../engine/check.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export const duplicateBody = defineCheck({
  name: 'duplicate_body',
  description:
    'Other senders sent the same message body (same fingerprint after folding case, spacing, numbers and links). One other sender scores the base; each doubling adds half of it, up to `cap` (default twice the base), kept below the quarantine threshold on its own because listing sites send many honest leads with one template text.',
  defaultScore: 2,
  run(lead, ctx) {
    const others = ctx.facts.sameBodyOtherSenders;
    if (typeof others !== 'number' || !Number.isFinite(others) || others < 1) return [];
    const cap = optionNumber(ctx.options, 'cap', ctx.score * 2);
    const score = Math.min(ctx.score * (1 + Math.log2(others) / 2), Math.max(cap, ctx.score));
    return [
      {
        score: Math.round(score * 100) / 100,
        reason:
          others === 1
            ? 'another sender sent the same message'
            : `${Math.floor(others)} other senders sent the same message`,
        evidence: lead.freeText.slice(0, 120),
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'one other sender sent the same body',
        lead: {
          channel: 'form',
          message: 'I noticed your website is not on the first page of Google. We can fix that.',
        },
        facts: { sameBodyOtherSenders: 1 },
      },
      {
        title: 'a body sent by fifty others',
        lead: {
          channel: 'form',
          message: 'I noticed your website is not on the first page of Google. We can fix that.',
        },
        facts: { sameBodyOtherSenders: 50 },
      },
    ],
    miss: [
      {
        title: 'a body nobody else sent',
        lead: { channel: 'form', message: 'Is the blue Tacoma still available?' },
        facts: { sameBodyOtherSenders: 0 },
      },
      {
        title: 'the count is unknown',
        lead: { channel: 'form', message: 'Is the blue Tacoma still available?' },
      },
    ],
  },
});
