import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentFingerprint, normaliseBody } from './fingerprint.ts';

const body =
  'Hello! I noticed your website ranks poorly. Visit cheap-seo.com or call 555-0147 for a free audit.';

describe('contentFingerprint', () => {
  it('gives the same fingerprint for the same body written with other case, spacing and punctuation', () => {
    const variant =
      'hello i NOTICED your   website ranks poorly...\n\nVisit cheap-seo.com or call 555-0147 for a free audit';
    expect(contentFingerprint(variant)).toBe(contentFingerprint(body));
  });

  it('sees through accents and look-alike letters', () => {
    expect(contentFingerprint(body.replace('website', 'wébsіte'))).toBe(contentFingerprint(body));
  });

  it('masks numbers and links by default, so rotating domains and phone numbers still match', () => {
    const rotated = body
      .replace('cheap-seo.com', 'http://best-seo.net/x?id=9')
      .replace('555-0147', '555-0199');
    expect(contentFingerprint(rotated)).toBe(contentFingerprint(body));
    expect(contentFingerprint(body.replace('cheap-seo.com', 'spam@best-seo.net'))).toBe(
      contentFingerprint(body),
    );
    expect(contentFingerprint(body.replace('cheap-seo.com', 'best-seo[.]net'))).toBe(
      contentFingerprint(body),
    );
  });

  it('tells numbers and links apart when masking is off', () => {
    const rotated = body.replace('555-0147', '555-0199');
    expect(contentFingerprint(rotated, { maskDigits: false })).not.toBe(
      contentFingerprint(body, { maskDigits: false }),
    );
    const otherSite = body.replace('cheap-seo.com', 'best-seo.net');
    expect(contentFingerprint(otherSite, { maskLinks: false })).not.toBe(
      contentFingerprint(body, { maskLinks: false }),
    );
  });

  it('gives different bodies different fingerprints', () => {
    expect(contentFingerprint(body.replace('free audit', 'paid audit'))).not.toBe(contentFingerprint(body));
  });

  it('gives no fingerprint to bodies too short to mean anything', () => {
    expect(contentFingerprint('Call me back please, thanks!')).toBeUndefined();
    expect(contentFingerprint('!!! ... ??? '.repeat(20))).toBeUndefined();
    expect(contentFingerprint('')).toBeUndefined();
  });

  it('is a short URL-safe string', () => {
    expect(contentFingerprint(body)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('handles invalid Unicode and megabyte bodies', () => {
    expect(contentFingerprint(`${body}\ud800\udfff\ud800`)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(contentFingerprint('word '.repeat(200_000))).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(contentFingerprint(`${'a'.repeat(1_000_000)}!`)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('normaliseBody', () => {
  // Pieces that make or break a link chunk, digits, punctuation and every kind of ASCII space.
  const pieces = [
    'a',
    'b',
    'z',
    'w',
    'www.',
    'dot',
    '.',
    '..',
    ':',
    '//',
    '://',
    '@',
    '[',
    ']',
    '(',
    ')',
    '{',
    '}',
    '/',
    '?',
    '#',
    ',',
    ';',
    '!',
    '-',
    '_',
    '0',
    '7',
    '42',
    'com',
    'co',
    'c',
    'abcdefghijklmnopqrstuvwxyz',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r',
    '\v',
    '\f',
    '\u0001',
    '\u001f',
    'A',
    'Q',
    '~',
    '"',
    "'",
    'https',
    'example',
    'x.y',
  ];
  const asciiBody = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
  const options = fc.record({ maskDigits: fc.boolean(), maskLinks: fc.boolean() });

  it('reads plain ASCII in one scan exactly as the general path does', () => {
    fc.assert(
      fc.property(asciiBody, options, (body, opts) => {
        expect(normaliseBody(body, opts)).toEqual(normaliseBody(body, { ...opts, byRegex: true }));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), options, (body, opts) => {
        expect(normaliseBody(body, opts)).toEqual(normaliseBody(body, { ...opts, byRegex: true }));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every dev lead exactly as the general path does', () => {
    const lines = readFileSync(new URL('../../../shared/data/leads-dev.jsonl', import.meta.url), 'utf8');
    let checked = 0;
    for (const line of lines.split('\n')) {
      if (!line.trim()) continue;
      const lead = JSON.parse(line) as { subject?: string; message?: string };
      const body = `${lead.subject ?? ''}\n${lead.message ?? ''}`;
      expect(normaliseBody(body)).toEqual(normaliseBody(body, { byRegex: true }));
      checked++;
    }
    expect(checked).toBe(3000);
  });
});
