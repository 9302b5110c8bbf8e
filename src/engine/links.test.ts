import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultLinkLimit, extractLeadLinks, extractLinks, isOwnLink, mayHideDot } from './links.ts';

const hosts = (text: string) => extractLinks(text).map((link) => link.host);

describe('extractLinks', () => {
  it('finds http, https and ftp URLs with their host and registrable domain', () => {
    const links = extractLinks(
      'See http://cheap-seo.com/offer?x=1, HTTPS://Shop.Example.co.uk/a and ftp://files.example.org.',
    );
    expect(links.map((l) => [l.raw, l.host, l.registrableDomain, l.obfuscated])).toEqual([
      ['http://cheap-seo.com/offer?x=1', 'cheap-seo.com', 'cheap-seo.com', false],
      ['HTTPS://Shop.Example.co.uk/a', 'shop.example.co.uk', 'example.co.uk', false],
      ['ftp://files.example.org', 'files.example.org', 'example.org', false],
    ]);
  });

  it('finds www. hosts and bare domains with a real public suffix, path included', () => {
    const links = extractLinks('try www.example.org, cheap-seo.com and site.co.uk/page.');
    expect(links.map((l) => [l.raw, l.host, l.registrableDomain])).toEqual([
      ['www.example.org', 'www.example.org', 'example.org'],
      ['cheap-seo.com', 'cheap-seo.com', 'cheap-seo.com'],
      ['site.co.uk/page', 'site.co.uk', 'site.co.uk'],
    ]);
  });

  it('ignores abbreviations, file names, numbers and missing spaces after a full stop', () => {
    expect(hosts('e.g. this, i.e. that, U.S.A., Ph.D., a.m., etc.')).toEqual([]);
    expect(hosts('attached file.txt, readme.md, setup.py, main.rs, photo.jpg and notes.pdf')).toEqual([]);
    expect(hosts('version 1.2.3 costs 3.5 million; IP 10.0.0.1 in prose')).toEqual([]);
    expect(hosts('Great work.It was done.So thanks')).toEqual([]);
    expect(hosts('Visit Cheap-Seo.Com today')).toEqual(['cheap-seo.com']);
    expect(hosts('a one-letter name like x.com written bare')).toEqual([]);
  });

  it('does not treat email addresses as links', () => {
    expect(hosts('write to jane.doe@gmail.com or mailto:bob@example.com')).toEqual([]);
    expect(hosts('Message-ID: <1029945287.4797.TMDA@deepeddy.vircio.com>')).toEqual([]);
  });

  it('undoes obfuscation and reports the link as written', () => {
    const links = extractLinks(
      'hxxp://bad.example.net/x hXXps://evil.com example[.]com shop(.)example.org cheap [dot] com spam(dot)ru ab {.} cd [.] info',
    );
    expect(links.map((l) => [l.raw, l.host, l.obfuscated])).toEqual([
      ['hxxp://bad.example.net/x', 'bad.example.net', true],
      ['hXXps://evil.com', 'evil.com', true],
      ['example[.]com', 'example.com', true],
      ['shop(.)example.org', 'shop.example.org', true],
      ['cheap [dot] com', 'cheap.com', true],
      ['spam(dot)ru', 'spam.ru', true],
      ['ab {.} cd [.] info', 'ab.cd.info', true],
    ]);
  });

  it('leaves brackets that are not between two host labels alone', () => {
    expect(hosts('a list: (.) and [dot], then (dot) visit cheap-seo.com')).toEqual(['cheap-seo.com']);
  });

  it('strips user info, port and trailing dot; numeric hosts have no registrable domain', () => {
    const [withPort, numeric] = extractLinks(
      'http://user:pw@Host.Example.com.:8080/x http://192.168.0.1/admin',
    );
    expect(withPort?.host).toBe('host.example.com');
    expect(withPort?.registrableDomain).toBe('example.com');
    expect(numeric?.host).toBe('192.168.0.1');
    expect(numeric?.registrableDomain).toBeUndefined();
  });

  it('finds links inside markdown, parentheses and text without spaces', () => {
    expect(hosts('[here](https://a-site.io/x) (see b-site.net) 请访问cheap-seo.com获取')).toEqual([
      'a-site.io',
      'b-site.net',
      'cheap-seo.com',
    ]);
  });

  it('stops at the limit', () => {
    const text = Array.from({ length: 300 }, (_, i) => `http://s${i}.example.com`).join(' ');
    expect(extractLinks(text)).toHaveLength(defaultLinkLimit);
    expect(extractLinks(text, 3).map((l) => l.host)).toEqual([
      's0.example.com',
      's1.example.com',
      's2.example.com',
    ]);
  });

  it('caps the raw text of a very long link', () => {
    const [link] = extractLinks(`http://example.com/${'a'.repeat(5000)}`);
    expect(link?.raw.length).toBe(200);
  });

  it('never throws, reports raw text that is in the input, and respects the limit on any string', () => {
    const piece = fc.constantFrom(
      'http://',
      'hxxp://',
      'www.',
      '.',
      '[.]',
      '(dot)',
      ' [dot] ',
      '@',
      'a',
      'Z',
      '-',
      'com',
      'co.uk',
      '/',
      ' ',
      ':',
      '1',
      'é',
      '\ud800',
      '\u0000',
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(piece, fc.string()), { maxLength: 60 }),
        fc.integer({ min: 0, max: 5 }),
        (parts, limit) => {
          const text = parts.join('');
          const links = extractLinks(text, limit);
          expect(links.length).toBeLessThanOrEqual(limit);
          for (const link of links) {
            expect(text).toContain(link.raw);
            expect(link.host).toBe(link.host.toLowerCase());
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finishes on pathological megabyte inputs (a quadratic scan would take hours)', () => {
    const size = 1_000_000;
    for (const text of [
      'a'.repeat(size) + '!',
      '.'.repeat(size),
      'a.'.repeat(size / 2),
      'http://'.repeat(size / 7),
      '@'.repeat(size),
      '[.]'.repeat(size / 3),
      'x (dot) '.repeat(size / 8),
      ':'.repeat(size),
      ' '.repeat(size) + 'x.com',
      `${'a-'.repeat(size / 2)}.com`,
    ]) {
      expect(extractLinks(text).length).toBeLessThanOrEqual(defaultLinkLimit);
    }
  });
});

/** Character reads made while `run` works: a deterministic stand-in for time. */
function countCharReads(run: () => void): number {
  const original = String.prototype.charCodeAt;
  let reads = 0;
  String.prototype.charCodeAt = function (this: string, index: number) {
    reads++;
    return original.call(this, index);
  };
  try {
    run();
  } finally {
    String.prototype.charCodeAt = original;
  }
  return reads;
}

describe('extractLinks work', () => {
  it('grows linearly with the input: doubling the text at most doubles the characters read, give or take', () => {
    const makers = [
      (n: number) => 'a.'.repeat(n / 2),
      (n: number) => 'word. '.repeat(n / 6),
      (n: number) => 'http://a.com/x '.repeat(n / 15),
      (n: number) => 'x (dot) y '.repeat(n / 10),
      (n: number) => 'a@b.c '.repeat(n / 6),
      (n: number) => `${'a'.repeat(n)}.com`,
    ];
    for (const make of makers) {
      const small = countCharReads(() => extractLinks(make(20_000), Infinity));
      const large = countCharReads(() => extractLinks(make(40_000), Infinity));
      expect(small, make(30)).toBeGreaterThan(1000);
      expect(large, make(30)).toBeLessThanOrEqual(small * 2.2 + 100);
    }
  });
});

describe('mayHideDot', () => {
  // The pattern undoObfuscation rewrites; the cheap look must say yes wherever it matches.
  const OBFUSCATED_DOT = /[[({]\s{0,3}(?:\.|dot)\s{0,3}[\])}]/i;

  it('says yes wherever an obfuscated dot matches, whatever the spaces and case', () => {
    const piece = fc.constantFrom(
      ...['(', '[', '{', ')', ']', '}', '.', 'd', 'D', 'o', 'O', 't', 'T', 'x', ' ', '\t', '\n'],
      ...['\u00a0', '\u2003', '\u3000', '\ufeff', 'é', 'dot', 'DoT', '[.]', '( dot )', '{\u00a0.\u00a0}'],
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const text = pieces.join('');
        if (OBFUSCATED_DOT.test(text)) expect(mayHideDot(text)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('says no for brackets that only start a word with d or hold a full stop elsewhere', () => {
    expect(mayHideDot('Sent (dated 21 Aug) [Date: Wed] {do this}. Done.')).toBe(false);
    expect(mayHideDot('see example ( DoT ) com')).toBe(true);
  });
});

describe('isOwnLink', () => {
  const own = new Set(['dealer.example', 'dealer.com']);
  const link = (text: string) => extractLinks(text)[0]!;

  it('counts the own domains and their subdomains as own', () => {
    expect(isOwnLink(link('https://dealer.com/x'), own)).toBe(true);
    expect(isOwnLink(link('https://shop.dealer.com/x'), own)).toBe(true);
    expect(isOwnLink(link('http://www.shop.dealer.example/'), own)).toBe(true);
  });

  it('does not count look-alike or parent domains', () => {
    expect(isOwnLink(link('https://notdealer.com/'), own)).toBe(false);
    expect(isOwnLink(link('https://dealer.com.evil.net/'), own)).toBe(false);
    expect(isOwnLink(link('https://dealer.com/'), new Set())).toBe(false);
  });
});

describe('extractLeadLinks', () => {
  it('marks links from URL fields apart from links in prose', () => {
    const links = extractLeadLinks('see cheap-seo.com', [
      { path: 'name', value: 'www.name-field.com' },
      { path: 'fields.website', value: 'https://smith-plumbing.com' },
      { path: 'fields.company_url', value: 'acme-tools.com' },
      { path: 'fields.vehicle', value: 'model.x.com' },
    ]);
    expect(links.map((l) => [l.host, l.source])).toEqual([
      ['cheap-seo.com', 'text'],
      ['smith-plumbing.com', 'url_field'],
      ['acme-tools.com', 'url_field'],
    ]);
  });
});
