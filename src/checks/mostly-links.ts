// mostly_links: the message is little more than links, by characters or by links per word.
import { defineCheck } from '../engine/check.ts';
import { defaultLinkLimit, isOwnLink } from '../engine/links.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Counts whitespace-separated words without allocating, stopping once `enough` are seen: more cannot change the answer. */
function countWords(text: string, enough: number): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c <= 32 || c === 0xa0;
    if (!space && !inWord && ++words >= enough) return words;
    inWord = !space;
  }
  return words;
}

export const mostlyLinks = defineCheck({
  name: 'mostly_links',
  description:
    "Links (other than to the account's own domains) make up at least `charShare` (default 55%) of the message's characters (spaces included), or there are at least `minLinks` (default 3) links and more than one per `wordsPerLink` (default 10) words.",
  defaultScore: 1.5,
  run(lead, ctx) {
    const links = lead.links.filter(
      (link) => link.source === 'text' && !isOwnLink(link, ctx.config.ownDomains),
    );
    if (links.length === 0) return [];
    const charShare = optionNumber(ctx.options, 'charShare', 0.55);
    const minLinks = optionNumber(ctx.options, 'minLinks', 3);
    const wordsPerLink = optionNumber(ctx.options, 'wordsPerLink', 10);
    let linkChars = 0;
    for (const link of links) linkChars += link.raw.length;
    const count = `${links.length}${links.length >= defaultLinkLimit ? '+' : ''} links`;
    if (links.length >= defaultLinkLimit || linkChars >= lead.freeText.length * charShare) {
      return [
        {
          score: ctx.score,
          reason: 'message is mostly links',
          evidence: `${count} in ${lead.freeText.length} characters`,
        },
      ];
    }
    // Words are only counted when there are enough links to matter: most leads stop above.
    if (links.length < minLinks) return [];
    const words = countWords(lead.freeText, links.length * wordsPerLink);
    if (links.length * wordsPerLink > words) {
      return [
        {
          score: ctx.score,
          reason: 'message has more links than its words call for',
          evidence: `${count} in ${words} words`,
        },
      ];
    }
    return [];
  },
  examples: {
    hit: [
      {
        title: 'a message that is only a link',
        lead: { channel: 'form', message: 'https://cheap-pills.example.com/buy' },
      },
      {
        title: 'a list of links with a few words',
        lead: {
          channel: 'form',
          message: 'Great deals: http://a-deals.com http://b-deals.net http://c-deals.org see them all now',
        },
      },
    ],
    miss: [
      {
        title: 'a message with one link among many words',
        lead: {
          channel: 'form',
          message:
            'Hello, I am interested in the blue pickup you listed last week. My brother bought one from you and liked it. I found a review here https://reviews.example.org/trucks that says it tows well. Could you call me after five?',
        },
      },
      {
        title: 'a link to the account’s own site',
        lead: { channel: 'form', message: 'https://www.dealer.example/inventory/123' },
        config: { siteDomains: ['dealer.example'] },
      },
    ],
  },
});
