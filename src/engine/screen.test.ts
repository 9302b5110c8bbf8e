import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile.ts';
import type { AccountConfigInput, ConfigLayer } from './config.ts';
import { issueRenderToken } from './render-token.ts';
import { screenLead } from './screen.ts';
import type { Facts, Lead, Verdict } from './types.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const SECRET = 'screen-test-secret';
const person: Lead = {
  channel: 'form',
  name: 'Maria Lopez',
  email: 'maria.lopez@gmail.com',
  phone: '(202) 555-0147',
  message: 'Is the blue 2022 Civic still available? I can come by on Saturday.',
  honeypot: '',
  referrer: 'https://www.dealer.example/inventory/civic',
};
const token = (secondsAgo: number, formKey = 'form_1') =>
  issueRenderToken({ secret: SECRET, formKey, now: NOW - secondsAgo * 1000 });
const withToken = (lead: Lead, secondsAgo = 45): Lead => ({ ...lead, renderToken: token(secondsAgo) });

function screen(
  lead: Lead,
  config: AccountConfigInput = {},
  facts: Partial<Facts> = {},
  instance?: ConfigLayer,
) {
  const compiled = compileConfig(
    { siteDomains: ['dealer.example'], ...config },
    { renderTokenSecret: SECRET, ...(instance ? { instance } : {}) },
  );
  return screenLead(lead, compiled, { now: NOW, ...facts });
}
// Content checks and the classifier run too; these tests look at the list and form checks' signals.
const listAndFormChecks = new Set([
  'honeypot',
  'render_token',
  'referrer',
  'frequency',
  'rules',
  'keywords',
  'bad_email',
]);
const scored = (verdict: Verdict) =>
  verdict.signals.filter((s) => (s.score !== 0 || s.hard) && listAndFormChecks.has(s.check));
const checksOf = (verdict: Verdict) => scored(verdict).map((s) => s.check);
const scoreOf = (verdict: Verdict, check: string) =>
  verdict.signals.filter((s) => s.check === check).reduce((sum, s) => sum + s.score, 0);

describe('screenLead', () => {
  it('accepts an ordinary enquiry with no signals', () => {
    const verdict = screen(withToken(person));
    expect(verdict).toMatchObject({ outcome: 'ham', decidedBy: 'score', score: 0, threshold: 5 });
    expect(verdict.signals.filter((s) => s.score !== 0 || s.hard)).toEqual([]);
  });

  it('quarantines a lead whose hidden honeypot field was filled', () => {
    const verdict = screen(withToken({ ...person, honeypot: 'http://seo.example' }));
    expect(verdict.outcome).toBe('quarantine');
    expect(scored(verdict)).toEqual([
      {
        check: 'honeypot',
        score: 10,
        reason: 'hidden honeypot field was filled',
        evidence: 'http://seo.example',
      },
    ]);
  });

  it('quarantines a lead whose email is blocked even with no score at all', () => {
    const verdict = screen(withToken(person), {
      rules: [{ action: 'block', dimension: 'email', value: 'Maria.Lopez@gmail.com' }],
    });
    expect(verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'block_rule', score: 0 });
    expect(scored(verdict)[0]?.reason).toBe('email address maria.lopez@gmail.com is blocked');
  });

  it('lets an allowed address through although its domain is blocked', () => {
    const verdict = screen(withToken(person), {
      rules: [
        { action: 'block', dimension: 'domain', value: 'gmail.com' },
        { action: 'allow', dimension: 'email', value: 'maria.lopez@gmail.com' },
      ],
    });
    expect(verdict).toMatchObject({ outcome: 'ham', decidedBy: 'allow_rule' });
    expect(checksOf(verdict)).toEqual(['rules', 'rules']);
  });

  it('lets a blocked address win over an allowed domain', () => {
    const verdict = screen(withToken(person), {
      rules: [
        { action: 'allow', dimension: 'domain', value: 'gmail.com' },
        { action: 'block', dimension: 'email', value: 'maria.lopez@gmail.com' },
      ],
    });
    expect(verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'block_rule' });
  });

  it('accepts an allowed sender whatever the score', () => {
    const verdict = screen(withToken({ ...person, honeypot: 'filled' }), {
      rules: [{ action: 'allow', dimension: 'phone', value: '202.555.0147' }],
    });
    expect(verdict).toMatchObject({ outcome: 'ham', decidedBy: 'allow_rule', score: 10 });
  });

  it('quarantines a lead that is not on the allow list when the account accepts only allowed phones', () => {
    const config: AccountConfigInput = {
      allowlistOnly: ['phone'],
      rules: [{ action: 'allow', dimension: 'phone', value: '+1 202 555 0100' }],
    };
    const verdict = screen(withToken(person), config);
    expect(verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'allowlist_only' });
    expect(scored(verdict)[0]?.reason).toContain('phone number +12025550147 is not on the list');
    expect(screen(withToken({ ...person, phone: '202-555-0100' }), config)).toMatchObject({ outcome: 'ham' });
    const noPhone = screen(withToken({ ...person, phone: undefined }), config);
    expect(noPhone).toMatchObject({ outcome: 'quarantine', decidedBy: 'allowlist_only' });
    expect(noPhone.signals[0]?.reason).toContain('has no phone number');
  });

  it('says so when allowlist-only is on but nothing is allowed yet', () => {
    const verdict = screen(withToken(person), { allowlistOnly: ['email'] });
    expect(verdict).toMatchObject({ outcome: 'quarantine', decidedBy: 'allowlist_only' });
    expect(scored(verdict)[0]?.reason).toBe(
      'only allowed email addresses are accepted, and none are on the allow list yet',
    );
  });

  it('quarantines a lead containing a keyword, even when the account raised its threshold', () => {
    const lead = withToken({ ...person, message: 'Get CHEAP   Viagra at our store' });
    const verdict = screen(lead, { keywords: ['cheap viagra'] });
    expect(verdict.outcome).toBe('quarantine');
    expect(scored(verdict)).toEqual([
      {
        check: 'keywords',
        score: 6,
        reason: 'contains the keyword "cheap viagra" in message',
        evidence: 'cheap viagra',
      },
    ]);
    const strict = screen(lead, { keywords: ['cheap viagra'], thresholds: { quarantine: 9 } });
    expect(strict.outcome).toBe('quarantine');
    expect(scoreOf(strict, 'keywords')).toBe(9);
  });

  it('caps what many keywords add up to', () => {
    const phrases = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const verdict = screen(withToken({ ...person, message: phrases.join(' ') }), { keywords: phrases });
    expect(verdict.signals.filter((s) => s.check === 'keywords')).toHaveLength(5);
    expect(scoreOf(verdict, 'keywords')).toBe(18);
  });

  it('lets the form layer switch a check off', () => {
    const lead = withToken({ ...person, honeypot: 'filled' });
    const verdict = screen(lead, { form: { checks: { honeypot: { enabled: false } } } });
    expect(verdict.outcome).toBe('ham');
    expect(scored(verdict)).toEqual([]);
  });

  it('takes the threshold from the account, then from the form', () => {
    const lead = withToken({ ...person, honeypot: 'filled' });
    expect(screen(lead, { thresholds: { quarantine: 12 } })).toMatchObject({ outcome: 'ham', threshold: 12 });
    expect(
      screen(lead, { thresholds: { quarantine: 12 }, form: { thresholds: { quarantine: 8 } } }),
    ).toMatchObject({
      outcome: 'quarantine',
      threshold: 8,
    });
    expect(screen(lead, {}, {}, { thresholds: { quarantine: 11 } })).toMatchObject({
      outcome: 'ham',
      threshold: 11,
    });
  });

  it('takes a check score from configuration', () => {
    const lead = withToken({ ...person, referrer: 'https://elsewhere.example/' });
    expect(screen(lead)).toMatchObject({ outcome: 'ham', score: 2 });
    expect(screen(lead, { checks: { referrer: { score: 5 } } })).toMatchObject({
      outcome: 'quarantine',
      score: 5,
    });
  });

  it('does not score a missing render token on a channel that has none', () => {
    const akismet = screen({ ...person, channel: 'akismet' });
    expect(checksOf(akismet)).not.toContain('render_token');
    const form = screen(person);
    expect(scored(form)).toMatchObject([{ check: 'render_token', score: 2 }]);
    expect(form.outcome).toBe('ham');
  });

  it('stays silent about render tokens when no secret is configured', () => {
    const verdict = screenLead(person, compileConfig({}), { now: NOW });
    expect(checksOf(verdict)).not.toContain('render_token');
  });

  it('quarantines a form sent within a second of the page rendering, and a reused token', () => {
    expect(screen(withToken(person, 0.5))).toMatchObject({ outcome: 'quarantine', score: 6 });
    expect(screen(withToken(person, 2))).toMatchObject({ outcome: 'ham', score: 4 });
    expect(screen(withToken(person), {}, { tokenReplayed: true })).toMatchObject({
      outcome: 'quarantine',
      score: 6,
    });
    // Another first character of the signature always changes its bytes (the last ones may only pad).
    const signed = token(30);
    const dot = signed.indexOf('.');
    const swapped = signed[dot + 1] === 'A' ? 'B' : 'A';
    const forged = screen({
      ...person,
      renderToken: `${signed.slice(0, dot + 1)}${swapped}${signed.slice(dot + 2)}`,
    });
    expect(forged.outcome).toBe('quarantine');
    expect(scored(forged)).toMatchObject([
      { check: 'render_token', reason: 'render token signature is not ours' },
    ]);
  });

  it('scores an expired token by the account setting', () => {
    const stale = withToken(person, 2 * 3600);
    expect(scoreOf(screen(stale), 'render_token')).toBe(0);
    const verdict = screen(stale, { renderToken: { maxAgeSeconds: 3600 } });
    expect(scored(verdict)).toMatchObject([
      { check: 'render_token', score: 3, reason: 'render token is older than 1 hour' },
    ]);
  });

  it('quarantines the 301st lead from one IP in five minutes', () => {
    const lead = withToken({ ...person, ip: '198.51.100.7' });
    expect(screen(lead, {}, { ipCount: 300 }).outcome).toBe('ham');
    const verdict = screen(lead, {}, { ipCount: 301 });
    expect(verdict.outcome).toBe('quarantine');
    expect(scored(verdict)[0]?.reason).toBe('301 leads from this IP in 5 minutes (limit 300)');
  });

  it('adds up small signals from a bad address', () => {
    const verdict = screen(
      withToken({ ...person, email: 'info@gmial.com' }),
      {},
      { emailDomainHasMail: false },
    );
    expect(scored(verdict).map((s) => [s.check, s.score])).toEqual([
      ['bad_email', 3],
      ['bad_email', 1],
      ['bad_email', 4],
    ]);
    expect(verdict.outcome).toBe('quarantine');
  });

  it('never throws when fields that should be text are not', () => {
    const odd = { ...person, referrer: 42, renderToken: { a: 1 }, honeypot: ['x'], ip: 7 } as unknown as Lead;
    const verdict = screen(odd, { keywords: ['civic'] }, { ipCount: 1000 });
    expect(checksOf(verdict)).toEqual(['render_token', 'frequency', 'keywords']);
  });

  it('never throws on hostile input', () => {
    const hostile = {
      channel: 'form',
      email: '@'.repeat(5000),
      phone: '+'.repeat(5000),
      message: 'a'.repeat(100_000),
      fields: {
        deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: 'x' } } } } } } } } },
        list: [1, null, true],
      },
      renderToken: '.'.repeat(10_000),
      referrer: 'not a url at all ::::',
      honeypot: '',
    } as unknown as Lead;
    const verdict = screen(hostile, { keywords: ['a a a a b'] });
    expect(verdict.outcome).toBe('quarantine');
    expect(verdict.signals.every((s) => (s.evidence ?? '').length <= 200)).toBe(true);
  });
});
