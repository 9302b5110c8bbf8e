// referrer: the form was submitted from a page that is not on the account's own sites.
import { parse as parseDomain } from 'tldts';
import { defineCheck } from '../engine/check.ts';

export const referrer = defineCheck({
  name: 'referrer',
  description:
    "The referring page is not on the account's own domains (subdomains count as own). Silent without a referrer or without configured domains.",
  defaultScore: 2,
  channels: ['form', 'akismet'],
  run(lead, ctx) {
    const url = lead.raw.referrer?.trim();
    const own = ctx.config.ownDomains;
    // Browsers often strip the referrer, so its absence says nothing.
    if (!url || own.size === 0) return [];
    const parsed = parseDomain(url.slice(0, 2000).toLowerCase());
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
