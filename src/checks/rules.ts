// rules: the account's block and allow lists, and allowlist-only dimensions; their decisions override the score.
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import type { RuleDimension } from '../engine/config.ts';
import type { PreparedLead } from '../engine/prepare.ts';
import type { RuleMatch } from '../engine/rule-index.ts';

/** How specific a dimension is: the more specific decision wins (an allowed address beats a blocked domain). */
export const ruleSpecificity: Readonly<Record<RuleDimension, number>> = {
  email: 5,
  phone: 4,
  domain: 3,
  area_code: 2,
  segment: 1,
};

const subject: Readonly<Record<RuleDimension, string>> = {
  email: 'email address',
  domain: 'email domain',
  phone: 'phone number',
  area_code: 'area code',
  segment: 'contact segment',
};

const plural: Readonly<Record<RuleDimension, string>> = {
  email: 'email addresses',
  domain: 'email domains',
  phone: 'phone numbers',
  area_code: 'area codes',
  segment: 'contact segments',
};

function describeMatch(match: RuleMatch): string {
  const verb = match.action === 'block' ? 'is blocked' : 'is on the allow list';
  const what =
    match.dimension === 'segment'
      ? `contact is in segment "${match.value.trim()}", which`
      : `${subject[match.dimension]} ${match.matched}`;
  return `${what} ${verb}`;
}

/** The lead's value on a dimension, as staff would recognise it; undefined when the lead has none. */
function valueOf(dimension: RuleDimension, lead: PreparedLead): string | undefined {
  switch (dimension) {
    case 'email':
      return lead.email?.address || undefined;
    case 'domain':
      return lead.email?.domain || undefined;
    case 'phone':
      return lead.phone?.e164 ?? (lead.phone?.digits || undefined);
    case 'area_code':
      return lead.phone?.areaCode;
    case 'segment':
      return undefined;
  }
}

function describeMiss(dimension: RuleDimension, lead: PreparedLead): string {
  if (dimension === 'segment')
    return 'only contacts in an allowed segment are accepted, and this lead is in none';
  const value = valueOf(dimension, lead);
  const rule = `only allowed ${plural[dimension]} are accepted`;
  return value
    ? `${rule}, and ${subject[dimension]} ${value.slice(0, 100)} is not on the list`
    : `${rule}, and this lead has no ${subject[dimension]}`;
}

export const rules = defineCheck({
  name: 'rules',
  description:
    "The account's block and allow rules (email, domain, phone, area code, segment) and allowlist-only dimensions. A block quarantines and an allow accepts whatever the score; the most specific rule wins.",
  defaultScore: 0,
  run(lead, ctx) {
    const matches = ctx.config.rules.match(lead);
    const findings: Finding[] = matches.map((match) => ({
      score: 0,
      reason: describeMatch(match),
      evidence: match.value.slice(0, 200),
      hard: { kind: match.action, specificity: ruleSpecificity[match.dimension] },
    }));
    for (const dimension of ctx.config.allowlistOnly) {
      if (matches.some((m) => m.action === 'allow' && m.dimension === dimension)) continue;
      findings.push({
        score: 0,
        reason: ctx.config.rules.hasAllowRules(dimension)
          ? describeMiss(dimension, lead)
          : `only allowed ${plural[dimension]} are accepted, and none are on the allow list yet`,
        hard: { kind: 'allowlist_miss', specificity: 0 },
      });
    }
    return findings;
  },
  examples: {
    hit: [
      {
        title: 'a blocked domain, reached through a subdomain',
        lead: { channel: 'form', email: 'x@mail.spam.example' },
        config: { rules: [{ action: 'block', dimension: 'domain', value: 'spam.example' }] },
      },
      {
        title: 'an allowed phone number',
        lead: { channel: 'call', phone: '+1 (555) 123-4567' },
        config: { rules: [{ action: 'allow', dimension: 'phone', value: '5551234567' }] },
      },
      {
        title: 'allowlist-only on email and the address is not listed',
        lead: { channel: 'form', email: 'stranger@example.com' },
        config: {
          allowlistOnly: ['email'],
          rules: [{ action: 'allow', dimension: 'email', value: 'friend@example.com' }],
        },
      },
      {
        title: 'allowlist-only on phone and the lead has no phone',
        lead: { channel: 'form', email: 'a@example.com' },
        config: { allowlistOnly: ['phone'] },
      },
    ],
    miss: [
      {
        title: 'a domain that only ends like a blocked one',
        lead: { channel: 'form', email: 'x@notspam.example' },
        config: { rules: [{ action: 'block', dimension: 'domain', value: 'spam.example' }] },
      },
      {
        title: 'a blocked phone number and a lead without a phone',
        lead: { channel: 'form', email: 'friend@example.com' },
        config: { rules: [{ action: 'block', dimension: 'phone', value: '555-123-4567' }] },
      },
      { title: 'no rules at all', lead: { channel: 'form', email: 'a@example.com' }, config: {} },
    ],
  },
});
