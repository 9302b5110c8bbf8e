// frequency: too many leads from one IP address inside the sliding window (the count is gathered before screening).
import { defineCheck } from '../engine/check.ts';
import { describeSeconds } from './describe-seconds.ts';

export const frequency = defineCheck({
  name: 'frequency',
  description:
    'More leads from the same IP address inside the window than the configured limit (default 300 in 5 minutes).',
  defaultScore: 10,
  run(lead, ctx) {
    const count = ctx.facts.ipCount;
    const { limit, windowSeconds } = ctx.config.settings.frequency;
    if (typeof count !== 'number' || !Number.isFinite(count) || count <= limit) return [];
    return [
      {
        score: ctx.score,
        reason: `${count} leads from this IP in ${describeSeconds(windowSeconds)} (limit ${limit})`,
        ...(typeof lead.raw.ip === 'string' && lead.raw.ip ? { evidence: lead.raw.ip.slice(0, 200) } : {}),
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'a flood from one address',
        lead: { channel: 'form', ip: '203.0.113.9' },
        facts: { ipCount: 301 },
      },
      {
        title: 'a lower limit set by the account',
        lead: { channel: 'form' },
        config: { frequency: { limit: 10, windowSeconds: 60 } },
        facts: { ipCount: 11 },
      },
    ],
    miss: [
      { title: 'exactly at the limit', lead: { channel: 'form' }, facts: { ipCount: 300 } },
      { title: 'no count gathered', lead: { channel: 'form' } },
    ],
  },
});
