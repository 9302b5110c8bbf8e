// Hostile input: the engine answers every lead with a verdict (or a typed EngineError) and finishes in linear time.
import { describe, expect, it } from 'vitest';
import { compileConfig } from './compile.ts';
import { EngineError } from './errors.ts';
import { contentFingerprint } from './fingerprint.ts';
import { prepareLead } from './prepare.ts';
import { screenLead } from './screen.ts';
import type { Facts, Lead, Verdict } from './types.ts';

const config = compileConfig(
  {
    siteDomains: ['dealer.example'],
    language: 'en',
    keywords: ['viagra', 'casino bonus', 'seo services', 'a a a a'],
    rules: [
      { action: 'block', dimension: 'domain', value: 'spam.example' },
      { action: 'block', dimension: 'area_code', value: '555' },
      { action: 'allow', dimension: 'email', value: 'boss@dealer.example' },
    ],
    segments: [{ name: 'foreign', conditions: [{ field: 'country', op: 'is_not', value: 'US' }] }],
  },
  { renderTokenSecret: 'hostile-input-test-secret' },
);
const facts: Facts = { now: Date.parse('2026-11-23T12:00:00Z'), ipCount: 2, sameBodyOtherSenders: 3 };

/** Screens a lead that may be anything at all; only a verdict or an EngineError is acceptable. */
function screenAnything(lead: unknown): Verdict | EngineError {
  try {
    return screenLead(lead as Lead, config, facts);
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
}

function expectAnswer(lead: unknown): Verdict | EngineError {
  const answer = screenAnything(lead);
  if (answer instanceof EngineError) return answer;
  expect(['ham', 'quarantine']).toContain(answer.outcome);
  expect(Number.isFinite(answer.score)).toBe(true);
  for (const signal of answer.signals) {
    expect(Number.isFinite(signal.score)).toBe(true);
    expect(typeof signal.reason).toBe('string');
    if (signal.evidence !== undefined) expect(signal.evidence.length).toBeLessThanOrEqual(300);
  }
  return answer;
}

const MB = 1_000_000;
/** Inputs that take hours against a backtracking regex with nested or overlapping quantifiers. */
const pathological: Record<string, (size: number) => string> = {
  'letters then a bang': (n) => `${'a'.repeat(n)}!`,
  dots: (n) => '.'.repeat(n),
  'letter-dot pairs': (n) => 'a.'.repeat(n / 2),
  'http:// repeated': (n) => 'http://'.repeat(n / 7),
  'hxxp:// repeated': (n) => 'hxxp://a'.repeat(n / 8),
  'at signs': (n) => '@'.repeat(n),
  'letter-at pairs': (n) => 'a@'.repeat(n / 2),
  '[.] repeated': (n) => '[.]'.repeat(n / 3),
  '(dot) between words': (n) => 'x (dot) '.repeat(n / 8),
  'www. repeated': (n) => 'www.'.repeat(n / 4),
  'spaces then a letter': (n) => `${' '.repeat(n)}x`,
  'tabs and newlines': (n) => '\t\n\r'.repeat(n / 3),
  'hyphen pairs': (n) => 'a-'.repeat(n / 2),
  colons: (n) => ':'.repeat(n),
  slashes: (n) => '/'.repeat(n),
  'open brackets': (n) => '[('.repeat(n / 2),
  digits: (n) => '1'.repeat(n),
  'digit-dash pairs': (n) => '1-'.repeat(n / 2),
  'alternating case': (n) => 'aB'.repeat(n / 2),
  'a dotted email without end': (n) => `${'a.'.repeat(n / 4)}@${'b.'.repeat(n / 4)}`,
  'one long word repeated with spaces': (n) => 'repeated '.repeat(n / 9),
  'keyword prefix repeated': (n) => 'a a a '.repeat(n / 6),
  'combining marks': (n) => `a${'\u0301'.repeat(n - 1)}`,
  'zero-width spaces': (n) => '\u200b'.repeat(n),
  'Cyrillic letters': (n) => 'Ж'.repeat(n),
  'Han characters': (n) => '广告'.repeat(n / 2),
  'NUL bytes': (n) => '\u0000'.repeat(n),
  'lone surrogates': (n) => '\ud800'.repeat(n),
  'reversed surrogate pairs': (n) => '\udc00\ud800'.repeat(n / 2),
};

describe('hostile leads', () => {
  it('answers an empty lead, a lead with every field empty, and a lead that is not an object', () => {
    expectAnswer({ channel: 'form' });
    expectAnswer({});
    expectAnswer({
      channel: 'form',
      name: '',
      email: '',
      phone: '',
      subject: '',
      message: '',
      fields: {},
      honeypot: '',
      renderToken: '',
      userAgent: '',
      referrer: '',
      pageUrl: '',
      ip: '',
      contact: {},
    });
    for (const channel of ['form', 'akismet', 'file', 'call', 'bogus']) expectAnswer({ channel });
  });

  it('answers leads whose fields have the wrong types', () => {
    const wrong: unknown[] = [42, true, {}, [], ['a'], null, -1.5, Number.NaN];
    for (const value of wrong) {
      for (const field of [
        'id',
        'name',
        'email',
        'phone',
        'subject',
        'message',
        'fields',
        'honeypot',
        'renderToken',
        'userAgent',
        'referrer',
        'pageUrl',
        'ip',
        'contact',
      ]) {
        expectAnswer({ channel: 'form', [field]: value });
      }
    }
    expectAnswer({ channel: 'form', contact: { country: 5, tags: [1, null] } });
  });

  it('answers a one-megabyte message and a megabyte in every field', () => {
    const text = 'Please call me about the truck. '.repeat(MB / 32);
    expectAnswer({ channel: 'form', message: text });
    expectAnswer({
      channel: 'form',
      name: text,
      email: text,
      phone: text,
      subject: text,
      message: text,
      fields: { comments: text, website: text },
      userAgent: text,
      referrer: text,
      pageUrl: text,
      honeypot: text,
      renderToken: text,
      ip: text,
    });
  });

  it('answers binary data, NUL bytes and invalid Unicode', () => {
    const binary = Array.from({ length: 65_536 }, (_, i) => String.fromCharCode(i)).join('');
    const lone = 'caf\ud83d \udca9 \ud800\udc00\udbff x@y\ud800.com http://a\udfff.com';
    for (const value of [binary, lone, '\u0000'.repeat(1000)]) {
      expectAnswer({
        channel: 'form',
        name: value,
        email: value,
        phone: value,
        subject: value,
        message: value,
        fields: { [value.slice(0, 50)]: value },
        referrer: value,
        pageUrl: value,
        renderToken: value,
      });
    }
  });

  it('answers 10,000-deep nested fields and reports them truncated, without recursing that deep', () => {
    let nested: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 10_000; i++) nested = { n: nested, [`k${i}`]: [nested] };
    expectAnswer({ channel: 'form', fields: { nested } });
    expect(prepareLead({ channel: 'form', fields: { nested } }).truncated).toBe(true);
    let array: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) array = [array];
    expectAnswer({ channel: 'form', fields: { array } });
  });

  it('answers 100,000 fields', () => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) fields[`field_${i}`] = `value ${i} http://s${i}.example.com`;
    expectAnswer({ channel: 'form', fields });
  });

  it('treats __proto__, constructor and prototype as plain keys without polluting objects', () => {
    const lead = JSON.parse(
      '{"channel":"form","__proto__":{"message":"injected"},"constructor":{"prototype":{"x":1}},' +
        '"fields":{"__proto__":{"polluted":"yes"},"constructor":"c","prototype":"p","hasOwnProperty":"h","toString":"t"},' +
        '"contact":{"__proto__":{"country":"RU"},"constructor":"c"}}',
    ) as unknown;
    expectAnswer(lead);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).message).toBeUndefined();
  });

  it('caps the score a flood of links can add and still sees them', () => {
    const links = Array.from({ length: 50_000 }, (_, i) => `http://s${i}.spam-site.com/p`).join(' ');
    const answer = expectAnswer({ channel: 'form', message: links });
    if (answer instanceof EngineError) throw answer;
    const external = answer.signals.filter((s) => s.check === 'external_link');
    expect(external).toHaveLength(1);
    expect(external[0]?.score).toBeLessThanOrEqual(12);
    expect(answer.outcome).toBe('quarantine');
  });

  for (const [name, make] of Object.entries(pathological)) {
    it(`finishes on ${name} in free text, custom fields and every header-like field`, () => {
      const big = make(MB);
      const small = make(100_000);
      expectAnswer({
        channel: 'form',
        message: big,
        fields: { comments: big, website: big, [small.slice(0, 100)]: big },
      });
      expectAnswer({
        channel: 'form',
        name: small,
        email: small,
        phone: small,
        subject: small,
        userAgent: small,
        referrer: small,
        pageUrl: small,
        honeypot: small,
        renderToken: small,
        ip: small,
      });
      expect(contentFingerprint(big) ?? 'none').toMatch(/^[A-Za-z0-9_-]{22}$|^none$/);
    });
  }
});

describe('hostile configuration', () => {
  it('rejects malformed configuration with a typed error', () => {
    for (const input of [
      { rules: [{ action: 'explode', dimension: 'email', value: 'x' }] },
      { keywords: ['x'.repeat(1000)] },
      { siteDomains: 'dealer.example' },
      { thresholds: { quarantine: Number.NaN } },
      { checks: { external_link: { score: Number.POSITIVE_INFINITY } } },
    ]) {
      expect(() => compileConfig(input as never)).toThrow(EngineError);
    }
  });

  it('screens with odd but valid settings: an unknown language and check options of the wrong type', () => {
    const odd = compileConfig({
      language: 'xx-Unknown',
      checks: {
        script_mismatch: { options: { scripts: ['Not A Script', 42] } },
        external_link: { options: { cap: 'high', perExtra: null } },
        mostly_links: { options: { charShare: {} } },
        shouting: { options: { minLetters: '20' } },
        duplicate_body: { options: { cap: [] } },
      },
    });
    const verdict = screenLead(
      { channel: 'form', message: 'ВСЕ ЗДЕСЬ http://a.com http://b.com http://c.com' },
      odd,
      { now: 0, sameBodyOtherSenders: 1e9 },
    );
    for (const signal of verdict.signals) expect(Number.isFinite(signal.score)).toBe(true);
  });
});
