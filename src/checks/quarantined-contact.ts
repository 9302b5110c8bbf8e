// quarantined_contact: a call from a contact whose latest lead is in quarantine is not put through.
import { defineCheck } from '../engine/check.ts';

export const quarantinedContact = defineCheck({
  name: 'quarantined_contact',
  description:
    "The caller is a known contact whose latest lead is in quarantine. Like a block rule it quarantines whatever the score (so the call is rejected as busy), but any explicit allow rule for the caller wins; releasing the contact's lead lets the next call through.",
  defaultScore: 0,
  // Forms and comments are screened on their own content; only a call, which carries none, leans on the contact.
  channels: ['call'],
  run(lead, ctx) {
    if (ctx.facts.contactQuarantined !== true) return [];
    return [
      {
        score: ctx.score,
        reason: 'the caller is a contact whose latest lead is in quarantine',
        evidence: lead.phone?.e164 ?? lead.phone?.digits,
        // Below every rule dimension: an allow rule for the number, area code or segment still lets the call through.
        hard: { kind: 'block', specificity: 0.5 },
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'a call from a contact in quarantine',
        lead: { channel: 'call', phone: '+1 415 555 0100' },
        facts: { contactQuarantined: true },
      },
    ],
    miss: [
      {
        title: 'a call from a contact whose latest lead is active',
        lead: { channel: 'call', phone: '+1 415 555 0100' },
        facts: { contactQuarantined: false },
      },
      {
        title: 'a form lead is judged on its own content',
        lead: { channel: 'form', phone: '+1 415 555 0100', message: 'Is the car available?' },
        facts: { contactQuarantined: true },
      },
    ],
  },
});
