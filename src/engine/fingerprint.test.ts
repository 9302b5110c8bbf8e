import { describe, expect, it } from 'vitest';
import { contentFingerprint } from './fingerprint.ts';

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
