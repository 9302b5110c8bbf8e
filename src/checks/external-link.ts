// external_link: the message links to a site other than the account's own; more links and disguised links score more.
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import { isOwnLink } from '../engine/links.ts';
import type { LeadLink } from '../engine/links.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

const EVIDENCE_DOMAINS = 5;

/** The different keys of `links`, in order; a lone link (most leads with any) needs no set. */
function distinct(links: readonly LeadLink[], key: (link: LeadLink) => string): string[] {
  if (links.length === 1) return [key(links[0] as LeadLink)];
  return [...new Set(links.map(key))];
}

export const externalLink = defineCheck({
  name: 'external_link',
  description:
    "The message links to a site other than the account's own domains (subdomains count as own). Each extra link adds `perExtra` up to `cap`; a disguised link (hxxp://, example[.]com, example [dot] com) adds `obfuscatedScore`: people with honest links do not hide them. A website field is not counted.",
  defaultScore: 1.5,
  run(lead, ctx) {
    const external: LeadLink[] = [];
    for (const link of lead.links) {
      if (link.source === 'text' && !isOwnLink(link, ctx.config.ownDomains)) external.push(link);
    }
    if (external.length === 0) return [];
    // Links alone stay below the default threshold: honest leads quote listings and their own sites,
    // and on the labelled corpus a link is as common in ham as in spam. The classifier weighs them.
    const perExtra = optionNumber(ctx.options, 'perExtra', ctx.score / 3);
    const cap = optionNumber(ctx.options, 'cap', ctx.score * 2.5);
    const obfuscatedScore = optionNumber(ctx.options, 'obfuscatedScore', ctx.score * 2);
    const domains = distinct(external, (link) => link.registrableDomain ?? link.host);
    const shown = domains.slice(0, EVIDENCE_DOMAINS).join(', ');
    const evidence = (domains.length > EVIDENCE_DOMAINS ? `${shown}, …` : shown).slice(0, 200);
    // The same URL pasted twice is one link: repetition is the mostly_links check's business.
    const count = distinct(external, (link) => link.raw.toLowerCase()).length;
    const findings: Finding[] = [
      {
        score: Math.min(ctx.score + perExtra * (count - 1), Math.max(cap, ctx.score)),
        reason: count === 1 ? 'message links to another site' : `message has ${count} links to other sites`,
        evidence,
      },
    ];
    const hidden = external.filter((link) => link.obfuscated);
    if (hidden.length > 0) {
      findings.push({
        score: obfuscatedScore,
        reason: 'message disguises a link (hxxp://, [.] or [dot]) to slip past filters',
        evidence: hidden
          .slice(0, EVIDENCE_DOMAINS)
          .map((link) => link.raw)
          .join(' ')
          .slice(0, 200),
      });
    }
    return findings;
  },
  examples: {
    hit: [
      {
        title: 'an SEO offer with a link',
        lead: {
          channel: 'form',
          message: 'We can get you to page one of Google. See https://cheap-seo.example.net/offer',
        },
      },
      {
        title: 'a bare domain with a real suffix',
        lead: { channel: 'form', message: 'Best prices at cheap-pills.com, order today' },
      },
      {
        title: 'a link disguised with [.]',
        lead: { channel: 'form', message: 'visit cheap-pills[.]com for the offer' },
      },
      {
        title: 'a link written as hxxp',
        lead: { channel: 'form', message: 'hxxp://loans.example.org/apply' },
      },
      {
        title: 'several links in a comment field',
        lead: { channel: 'form', fields: { comments: 'deals at a-deals.com, b-deals.net and c-deals.org' } },
      },
    ],
    miss: [
      {
        title: 'a link to the dealer’s own site',
        lead: {
          channel: 'form',
          message: 'I saw the Civic on https://www.dealer.example/inventory/123 — still available?',
        },
        config: { siteDomains: ['dealer.example'] },
      },
      {
        title: 'an email address is not a link',
        lead: { channel: 'form', message: 'Please write to me at jane.doe@gmail.com instead of calling.' },
      },
      {
        title: 'abbreviations and file names',
        lead: {
          channel: 'form',
          message: 'I sent the forms, e.g. the W-2 and my license (scan.pdf, readme.md) etc.',
        },
      },
      {
        title: 'the sender’s own company website in a website field',
        lead: {
          channel: 'form',
          message: 'Need a quote for 3 vans.',
          fields: { website: 'https://smith-plumbing.com' },
        },
      },
    ],
  },
});
