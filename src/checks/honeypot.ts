// honeypot: the hidden field people never see was filled in, which only bots do.
import { defineCheck } from '../engine/check.ts';

export const honeypot = defineCheck({
  name: 'honeypot',
  description:
    'The hidden honeypot field was filled in (people never see it; form-filling bots fill every field).',
  defaultScore: 10,
  // Akismet clients send the honeypot field's value too; other channels have none.
  channels: ['form', 'akismet'],
  run(lead, ctx) {
    const value = lead.raw.honeypot;
    if (typeof value !== 'string' || value.trim() === '') return [];
    return [
      { score: ctx.score, reason: 'hidden honeypot field was filled', evidence: value.trim().slice(0, 200) },
    ];
  },
  examples: {
    hit: [
      {
        title: 'a bot filled the hidden field',
        lead: { channel: 'form', name: 'Bot', honeypot: 'http://spam.example' },
      },
      { title: 'an Akismet client reports a filled honeypot', lead: { channel: 'akismet', honeypot: 'x' } },
    ],
    miss: [
      { title: 'a person left it empty', lead: { channel: 'form', name: 'Ann', honeypot: '' } },
      { title: 'whitespace only', lead: { channel: 'form', honeypot: '  \n' } },
      { title: 'the channel has no honeypot', lead: { channel: 'form', name: 'Ann' } },
      { title: 'a phone call never has one', lead: { channel: 'call', honeypot: 'x' } },
    ],
  },
});
