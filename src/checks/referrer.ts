// referrer: the form was submitted from a page that is not on the account's own sites.
import { parse as parseDomain } from 'tldts';
import { defineCheck } from '../engine/check.ts';

const URL_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#:]+)/;

/** The host of an absolute URL, cheaply; undefined when it does not look like one (tldts then decides). */
function hostOf(url: string): string | undefined {
  return URL_HOST.exec(url)?.[1];
}

/** Own when the host or one of its parents is an own domain: the common case, answered without parsing. */
function isOwnHost(host: string | undefined, own: ReadonlySet<string>): boolean {
  for (let rest = host; rest;) {
    if (own.has(rest)) return true;
    const dot = rest.indexOf('.');
    rest = dot < 0 ? undefined : rest.slice(dot + 1);
  }
  return false;
}

export const referrer = defineCheck({
  name: 'referrer',
  description:
    "The referring page is not on the account's own domains (subdomains count as own). Silent without a referrer or without configured domains.",
  defaultScore: 2,
  channels: ['form', 'akismet'],
  run(lead, ctx) {
    const url = typeof lead.raw.referrer === 'string' ? lead.raw.referrer.trim() : '';
    const own = ctx.config.ownDomains;
    // Browsers often strip the referrer, so its absence says nothing.
    if (!url || own.size === 0) return [];
    const lower = url.slice(0, 2000).toLowerCase();
    if (isOwnHost(hostOf(lower), own)) return [];
    const parsed = parseDomain(lower);
    const host = parsed.domain ?? parsed.hostname;
    if (!host || own.has(host) || (parsed.hostname && own.has(parsed.hostname))) return [];
    return [
      {
        score: ctx.score,
        reason: "referring page is not on the site's own domains",
        evidence: url.slice(0, 200),
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'posted from a page on another site',
        lead: { channel: 'form', referrer: 'https://spam-tools.example.net/poster' },
        config: { siteDomains: ['dealer.example'] },
      },
    ],
    miss: [
      {
        title: 'posted from a subdomain of the own site',
        lead: { channel: 'form', referrer: 'https://www.shop.dealer.example/contact?x=1' },
        config: { siteDomains: ['dealer.example'] },
      },
      { title: 'no referrer', lead: { channel: 'form' }, config: { siteDomains: ['dealer.example'] } },
      {
        title: 'no own domains configured',
        lead: { channel: 'form', referrer: 'https://other.example/' },
        config: {},
      },
    ],
  },
});
