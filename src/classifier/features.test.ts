// Tests for feature extraction: words, pairs, n-grams, domains, phone shapes and other checks' signals become stable hashed features.
import { describe, expect, it } from 'vitest';
import { prepareLead } from '../engine/prepare.ts';
import type { Lead, Signal } from '../engine/types.ts';
import { defaultFeatureOptions, extractFeatures } from './features.ts';

const lead = (fields: Partial<Lead>): Lead => ({ channel: 'form', ...fields });
const hashesOf = (l: Lead, signals: Signal[] = [], options = defaultFeatureOptions) =>
  new Set(extractFeatures(prepareLead(l), signals, options).hashes);
const namesOf = (l: Lead, signals: Signal[] = []) => [
  ...(extractFeatures(prepareLead(l), signals, defaultFeatureOptions, true).names?.values() ?? []),
];

describe('extractFeatures', () => {
  it('emits words and word pairs of the message with readable names on request', () => {
    const names = namesOf(lead({ message: 'Cheap backlinks today' }));
    expect(names).toEqual(
      expect.arrayContaining(['cheap', 'backlinks', 'today', 'cheap backlinks', 'backlinks today']),
    );
  });

  it('ignores letter case in words', () => {
    const upper = namesOf(lead({ message: 'FREE OFFER' }));
    expect(upper).toContain('free offer');
    const a = hashesOf(lead({ message: 'FREE OFFER now' }), [], { ...defaultFeatureOptions, gramSize: 0 });
    const b = hashesOf(lead({ message: 'free offer now' }), [], { ...defaultFeatureOptions, gramSize: 0 });
    // Only the capitals-share feature differs.
    expect([...a].filter((h) => !b.has(h)).length).toBe(1);
  });

  it('gives phone numbers one shape whatever their digits, and notices toll-free numbers', () => {
    const a = hashesOf(lead({ message: 'call 555-123-4567' }));
    const b = hashesOf(lead({ message: 'call 555-987-6543' }));
    expect(a).toEqual(b);
    expect(namesOf(lead({ message: 'call 1-800-555-0199 now' }))).toContain('toll-free number');
  });

  it('turns the email domain, link domains and disguised links into features', () => {
    const names = namesOf(
      lead({
        email: 'bob@mail.cheap-seo.example',
        message: 'see https://rank-boost.test/x and cheap-pills[.]com',
      }),
    );
    expect(names).toEqual(
      expect.arrayContaining(['email @mail.cheap-seo.example', 'link rank-boost.test', 'disguised link']),
    );
  });

  it("uses the other checks' signals as features but never the classifier's own", () => {
    const signals: Signal[] = [
      { check: 'external_link', score: 3, reason: 'links' },
      { check: 'classifier', score: 5, reason: 'x' },
    ];
    const names = namesOf(lead({ message: 'hello' }), signals);
    expect(names).toContain('sig:external_link');
    expect(names).not.toContain('sig:classifier');
    expect(hashesOf(lead({ message: 'hello' }), [signals[1] as Signal])).toEqual(
      hashesOf(lead({ message: 'hello' })),
    );
  });

  it('keeps features distinct within one lead', () => {
    const hashes = extractFeatures(prepareLead(lead({ message: 'spam spam spam spam' })), []).hashes;
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('reads at most the text limit of a huge message', () => {
    const huge = 'word '.repeat(200_000);
    const limited = extractFeatures(prepareLead(lead({ message: huge })), [], {
      ...defaultFeatureOptions,
      textLimit: 1000,
    });
    expect(limited.hashes.length).toBeLessThan(100);
  });

  it('separates a word in the name from the same word in the message', () => {
    const inName = hashesOf(lead({ name: 'Casino' }));
    const inMessage = hashesOf(lead({ message: 'casino' }));
    expect(namesOf(lead({ name: 'Casino' }))).toContain('name:casino');
    expect([...inName].some((h) => !inMessage.has(h))).toBe(true);
  });
});
