import { describe, expect, it } from 'vitest';
import type { RuleInput, SegmentInput } from './config.ts';
import { prepareLead } from './prepare.ts';
import { compileRules } from './rule-index.ts';
import type { Lead } from './types.ts';

const lead = (fields: Omit<Lead, 'channel'>) => prepareLead({ channel: 'form', ...fields });
const block = (dimension: RuleInput['dimension'], value: string): RuleInput => ({
  action: 'block',
  dimension,
  value,
});
const allow = (dimension: RuleInput['dimension'], value: string): RuleInput => ({
  action: 'allow',
  dimension,
  value,
});
const matched = (rules: RuleInput[], l: ReturnType<typeof lead>, segments: SegmentInput[] = []) =>
  compileRules(rules, segments)
    .match(l)
    .map((m) => `${m.action} ${m.dimension} ${m.value}`);

describe('compileRules', () => {
  it('matches an email address exactly, whatever its case and spacing', () => {
    const rules = [block('email', ' Spammer@Example.com ')];
    expect(matched(rules, lead({ email: 'spammer@EXAMPLE.com' }))).toEqual([
      'block email  Spammer@Example.com ',
    ]);
    expect(matched(rules, lead({ email: 'other@example.com' }))).toEqual([]);
  });

  it('matches a domain and its subdomains but not a longer name that ends the same', () => {
    const rules = [block('domain', 'example.com')];
    expect(matched(rules, lead({ email: 'a@example.com' }))).toHaveLength(1);
    expect(matched(rules, lead({ email: 'a@mail.example.com' }))).toHaveLength(1);
    expect(matched(rules, lead({ email: 'a@notexample.com' }))).toEqual([]);
    expect(matched(rules, lead({ email: 'a@example.com.evil.net' }))).toEqual([]);
  });

  it('accepts domains written as @domain, *.domain or an address', () => {
    for (const value of ['@Example.com', '*.example.com', 'someone@example.com', 'example.com.']) {
      expect(matched([block('domain', value)], lead({ email: 'x@sub.example.com' })), value).toHaveLength(1);
    }
  });

  it('matches a phone number however either side is formatted', () => {
    const rules = [block('phone', '5551234567')];
    expect(matched(rules, lead({ phone: '+1 (555) 123-4567' }))).toHaveLength(1);
    expect(matched(rules, lead({ phone: '555.123.4567' }))).toHaveLength(1);
    expect(matched(rules, lead({ phone: '555-123-4568' }))).toEqual([]);
    const valid = [block('phone', '(202) 555-0147'), block('phone', '+44 20 7946 0958')];
    expect(matched(valid, lead({ phone: '+1 202 555 0147' }))).toHaveLength(1);
    expect(matched(valid, lead({ phone: '+442079460958' }))).toHaveLength(1);
  });

  it('matches a NANP area code and ignores values that are not three digits', () => {
    const rules = [block('area_code', '(202)'), block('area_code', '20')];
    expect(matched(rules, lead({ phone: '202-555-0147' }))).toEqual(['block area_code (202)']);
    expect(matched(rules, lead({ phone: '212-555-0147' }))).toEqual([]);
    expect(compileRules(rules, []).size).toBe(1);
  });

  it('returns block and allow matches together for the verdict to rank', () => {
    const rules = [block('domain', 'example.com'), allow('email', 'boss@example.com')];
    expect(matched(rules, lead({ email: 'boss@example.com' })).sort()).toEqual([
      'allow email boss@example.com',
      'block domain example.com',
    ]);
  });

  it('reports which dimensions have allow rules', () => {
    const index = compileRules([allow('phone', '2025550147'), block('email', 'a@b.co')], []);
    expect(index.hasAllowRules('phone')).toBe(true);
    expect(index.hasAllowRules('email')).toBe(false);
  });

  describe('segments', () => {
    const segments: SegmentInput[] = [
      { name: 'Outside US', match: 'all', conditions: [{ field: 'country', op: 'is_not', value: 'US' }] },
      {
        name: 'Competitors',
        match: 'any',
        conditions: [
          { field: 'tags', op: 'in', value: ['competitor', 'vendor'] },
          { field: 'email_domain', op: 'contains', value: 'rival' },
        ],
      },
      { name: 'No company', match: 'all', conditions: [{ field: 'Company', op: 'missing' }] },
    ];

    it('matches a lead whose contact fields satisfy the segment, case-insensitively', () => {
      const rules = [block('segment', 'competitors')];
      expect(matched(rules, lead({ contact: { Tags: ['VIP', 'Competitor'] } }), segments)).toHaveLength(1);
      expect(matched(rules, lead({ email: 'x@bigrival.com' }), segments)).toHaveLength(1);
      expect(matched(rules, lead({ contact: { tags: ['vip'] }, email: 'x@ok.com' }), segments)).toEqual([]);
    });

    it('derives the country from a valid phone number when the contact has none', () => {
      const rules = [block('segment', 'Outside US')];
      expect(matched(rules, lead({ phone: '+44 20 7946 0958' }), segments)).toHaveLength(1);
      expect(matched(rules, lead({ phone: '+1 202 555 0147' }), segments)).toEqual([]);
      expect(
        matched(rules, lead({ phone: '+1 202 555 0147', contact: { country: 'CA' } }), segments),
      ).toHaveLength(1);
    });

    it('treats missing and exists as opposites', () => {
      const rules = [allow('segment', 'no company')];
      expect(matched(rules, lead({ contact: { company: '  ' } }), segments)).toHaveLength(1);
      expect(matched(rules, lead({ contact: { company: 'Acme' } }), segments)).toEqual([]);
    });

    it('never matches a rule naming a segment that does not exist, and compiles anyway', () => {
      const index = compileRules([block('segment', 'ghost')], segments);
      expect(index.match(lead({ email: 'a@b.com' }))).toEqual([]);
      expect(index.size).toBe(0);
    });
  });

  it('keeps working with a hundred thousand rules', () => {
    const rules: RuleInput[] = [];
    for (let i = 0; i < 100_000; i++)
      rules.push(block(i % 2 ? 'email' : 'domain', `user${i}@spam${i}.example`));
    const index = compileRules(rules, []);
    expect(index.match(lead({ email: 'someone@spam4.example' })).map((m) => m.value)).toEqual([
      'user4@spam4.example',
    ]);
    expect(index.match(lead({ email: 'user3@spam3.example' })).map((m) => m.value)).toEqual([
      'user3@spam3.example',
    ]);
    expect(index.match(lead({ email: 'ok@fine.example' }))).toEqual([]);
  });
});

describe('segment matching modes', () => {
  const both: SegmentInput = {
    name: 'Texas competitors',
    match: 'all',
    conditions: [
      { field: 'state', op: 'is', value: 'tx' },
      { field: 'tags', op: 'contains', value: 'compet' },
    ],
  };
  const either: SegmentInput = { ...both, name: 'Texas or competitors', match: 'any' };
  const index = compileRules(
    [block('segment', 'Texas competitors'), allow('segment', 'texas or competitors')],
    [both, either],
  );
  const kinds = (contact: Lead['contact']) => index.match(lead({ contact })).map((m) => m.action);

  it('needs every condition for all and one for any', () => {
    expect(kinds({ state: 'TX', tags: ['Competitor'] })).toEqual(['block', 'allow']);
    expect(kinds({ state: 'TX' })).toEqual(['allow']);
    expect(kinds({ state: 'OK', tags: 'customer' })).toEqual([]);
  });

  it('treats not_in and is_not as true for a missing field', () => {
    const outside: SegmentInput = {
      name: 'elsewhere',
      match: 'all',
      conditions: [{ field: 'state', op: 'not_in', value: ['TX', 'OK'] }],
    };
    const rules = compileRules([block('segment', 'elsewhere')], [outside]);
    expect(rules.match(lead({ contact: {} }))).toHaveLength(1);
    expect(rules.match(lead({ contact: { state: 'ok' } }))).toEqual([]);
  });
});
