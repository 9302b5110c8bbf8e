import { describe, expect, it } from 'vitest';
import { externalLink } from './external-link.ts';
import { compileConfig } from '../engine/compile.ts';
import type { AccountConfigInput } from '../engine/config.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';

function signals(message: string, config: AccountConfigInput = { siteDomains: ['dealer.example'] }) {
  return runCheck(
    externalLink,
    prepareLead({ channel: 'form', message }),
    compileConfig(config),
    { now: 0 },
    { signals: [] },
  );
}

describe('external_link', () => {
  it('scores the base for one link and a third of the base for each further distinct link', () => {
    expect(signals('see a-deals.com').map((s) => s.score)).toEqual([1.5]);
    expect(signals('see a-deals.com and b-deals.net and c-deals.org').map((s) => s.score)).toEqual([2.5]);
  });

  it('counts the same link pasted twice once', () => {
    expect(signals('http://a-deals.com http://a-deals.com').map((s) => s.score)).toEqual([1.5]);
  });

  it('caps the score below the default threshold however many links there are', () => {
    const many = Array.from({ length: 60 }, (_, i) => `http://s${i}.deals.com`).join(' ');
    const [signal] = signals(many);
    expect(signal?.score).toBe(3.75);
    expect(signal?.reason).toBe('message has 60 links to other sites');
    expect(signal?.evidence).toBe('deals.com');
  });

  it('adds a separate signal for a disguised link, with the link as written', () => {
    const found = signals('cheap-pills[.]com');
    expect(found.map((s) => s.score)).toEqual([1.5, 3]);
    expect(found[1]?.evidence).toBe('cheap-pills[.]com');
  });

  it('ignores links to the own domains and their subdomains, and counts the rest', () => {
    expect(signals('https://www.dealer.example/x and https://shop.dealer.example/y')).toEqual([]);
    const [signal] = signals('https://dealer.example/x and https://dealer.example.evil.com/');
    expect(signal?.evidence).toBe('evil.com');
  });

  it('takes scores from the check options', () => {
    const config = {
      siteDomains: ['dealer.example'],
      checks: { external_link: { score: 2, options: { perExtra: 1, cap: 3, obfuscatedScore: 5 } } },
    };
    expect(signals('a-deals.com b-deals.com c-deals.com d-deals[.]com', config).map((s) => s.score)).toEqual([
      3, 5,
    ]);
  });
});
