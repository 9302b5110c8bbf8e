// bad_email: an address that cannot or will not reach a person: bad syntax, disposable, a misspelt big provider, a role box, a domain without mail servers.
import { createRequire } from 'node:module';
import { parse as parseDomain } from 'tldts';
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import type { PreparedEmail } from '../engine/prepare.ts';

// Loaded once when the engine loads: the package is a plain JSON list.
const require = createRequire(import.meta.url);
const disposable = new Set<string>(require('disposable-email-domains') as string[]);
const disposableWildcards = new Set<string>(require('disposable-email-domains/wildcard.json') as string[]);

/** Real mail providers, including the country variants a typo search would otherwise flag. */
const REAL_PROVIDERS = new Set(
  `gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.ca yahoo.fr yahoo.de yahoo.es yahoo.it yahoo.in yahoo.co.in
  yahoo.com.au yahoo.com.br yahoo.co.jp yahoo.cn ymail.com rocketmail.com hotmail.com hotmail.co.uk hotmail.fr
  hotmail.de hotmail.es hotmail.it hotmail.ca outlook.com outlook.fr outlook.de outlook.es outlook.it outlook.jp
  outlook.in live.com live.co.uk live.ca live.fr live.de live.nl live.it msn.com aol.com aim.com icloud.com me.com
  mac.com comcast.net verizon.net sbcglobal.net att.net bellsouth.net charter.net cox.net earthlink.net optonline.net
  frontier.com windstream.net protonmail.com proton.me pm.me tutanota.com mail.com email.com gmx.com gmx.de gmx.net
  gmx.at web.de mail.ru yandex.ru yandex.com zoho.com fastmail.com hey.com btinternet.com sky.com orange.fr free.fr
  laposte.net libero.it qq.com 163.com naver.com`.split(/\s+/),
);

/** Big providers whose misspellings are common; only names long enough that one or two slips are not another real domain. */
const TYPO_TARGETS =
  `gmail.com googlemail.com yahoo.com hotmail.com outlook.com icloud.com comcast.net verizon.net
  sbcglobal.net bellsouth.net protonmail.com charter.net earthlink.net btinternet.com hotmail.co.uk yahoo.co.uk`
    .split(/\s+/)
    .map((domain) => {
      const parsed = parseDomain(domain);
      return { domain, label: parsed.domainWithoutSuffix ?? '', suffix: parsed.publicSuffix ?? '' };
    });
/** Short provider names are only checked for a misspelt ending (aol.con), never for a changed name. */
const SUFFIX_TYPO_TARGETS = [
  ...TYPO_TARGETS,
  ...['aol.com', 'live.com', 'msn.com', 'att.net', 'cox.net', 'ymail.com'].map((domain) => {
    const parsed = parseDomain(domain);
    return { domain, label: parsed.domainWithoutSuffix ?? '', suffix: parsed.publicSuffix ?? '' };
  }),
];

const ROLE_LOCAL_PARTS = new Set(
  `admin administrator webmaster postmaster hostmaster abuse noreply no-reply donotreply do-not-reply info sales
  support contact marketing office billing help enquiries inquiries root security privacy newsletter`.split(
    /\s+/,
  ),
);

/** Edit distance with adjacent transpositions (gmial → gmail is one slip), giving up past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, (before[j - 2] as number) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    before = previous;
    previous = current;
  }
  return previous[b.length] as number;
}

const typoCache = new Map<string, string | undefined>();

/** The big provider a domain looks like a misspelling of, if any. */
export function findProviderTypo(domain: string): string | undefined {
  if (REAL_PROVIDERS.has(domain) || domain.length > 40) return undefined;
  if (typoCache.has(domain)) return typoCache.get(domain);
  let found: string | undefined;
  for (const target of TYPO_TARGETS) {
    if (
      editDistance(domain, target.domain, target.domain.length >= 12 ? 2 : 1) <=
      (target.domain.length >= 12 ? 2 : 1)
    ) {
      found = target.domain;
      break;
    }
  }
  if (!found) {
    const parsed = parseDomain(domain);
    for (const target of SUFFIX_TYPO_TARGETS) {
      if (parsed.domainWithoutSuffix !== target.label || parsed.publicSuffix === target.suffix) continue;
      if (!parsed.isIcann || editDistance(parsed.publicSuffix ?? '', target.suffix, 1) <= 1) {
        found = target.domain;
        break;
      }
    }
  }
  if (typoCache.size >= 10_000) typoCache.clear();
  typoCache.set(domain, found);
  return found;
}

/**
 * Whether a domain is disposable, by domain: four in five leads' email domains repeat one of an
 * earlier lead, and the answer costs lookups in a list of over 100,000 domains and one per parent
 * domain. Bounded: emptied when full.
 */
const disposableByDomain = new Map<string, boolean>();

function isDisposable(email: PreparedEmail): boolean {
  let disposable = disposableByDomain.get(email.domain);
  if (disposable === undefined) {
    if (disposableByDomain.size >= 10_000) disposableByDomain.clear();
    disposable = isListedDisposable(email);
    disposableByDomain.set(email.domain, disposable);
  }
  return disposable;
}

/** The registrable domain follows from the domain, so the answer depends on the domain alone. */
function isListedDisposable(email: PreparedEmail): boolean {
  const { domain, registrableDomain } = email;
  // Most addresses are at their registrable domain (gmail.com): one look in the large set, not two.
  if (
    disposable.has(domain) ||
    (registrableDomain && registrableDomain !== domain && disposable.has(registrableDomain))
  )
    return true;
  for (let dot = email.domain.indexOf('.'); dot >= 0; dot = email.domain.indexOf('.', dot + 1)) {
    if (disposableWildcards.has(email.domain.slice(dot + 1))) return true;
  }
  return disposableWildcards.has(email.domain);
}

function optionScore(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export const badEmail = defineCheck({
  name: 'bad_email',
  description:
    'The email address is malformed, from a disposable-mail service, a misspelling of a big provider (gmial.com), a role box (info@, noreply@), or its domain has no mail servers.',
  defaultScore: 4,
  run(lead, ctx) {
    const email = lead.email;
    if (!email) return [];
    const base = ctx.score;
    const evidence = email.address.slice(0, 200);
    if (!email.syntaxValid) return [{ score: base, reason: 'email address is not valid', evidence }];
    const findings: Finding[] = [];
    const domain = email.registrableDomain ?? email.domain;
    if (isDisposable(email)) {
      findings.push({
        score: optionScore(ctx.options, 'disposableScore', (base * 3) / 4),
        reason: 'email address is from a disposable-mail service',
        evidence,
      });
    } else {
      const typoOf = findProviderTypo(domain);
      if (typoOf) {
        findings.push({
          score: optionScore(ctx.options, 'typoScore', (base * 3) / 4),
          reason: `email domain ${domain} looks like a misspelling of ${typoOf}`,
          evidence,
        });
      }
    }
    const plus = email.local.indexOf('+');
    const local = plus < 0 ? email.local : email.local.slice(0, plus);
    if (ROLE_LOCAL_PARTS.has(local)) {
      findings.push({
        score: optionScore(ctx.options, 'roleScore', base / 4),
        reason: `email is a role address (${local}@), not a person`,
        evidence,
      });
    }
    if (ctx.facts.emailDomainHasMail === false) {
      findings.push({
        score: optionScore(ctx.options, 'noMailScore', base),
        reason: `email domain ${email.domain} has no mail servers`,
        evidence,
      });
    }
    return findings;
  },
  examples: {
    hit: [
      { title: 'no domain at all', lead: { channel: 'form', email: 'john.smith' } },
      { title: 'a disposable-mail service', lead: { channel: 'form', email: 'x@mailinator.com' } },
      { title: 'gmail misspelt', lead: { channel: 'form', email: 'jane@gmial.com' } },
      { title: 'hotmail misspelt', lead: { channel: 'form', email: 'jane@hotmial.com' } },
      { title: 'a misspelt ending', lead: { channel: 'form', email: 'jane@gmail.con' } },
      { title: 'a role address', lead: { channel: 'form', email: 'noreply@dealer-network.com' } },
      {
        title: 'a domain without mail servers',
        lead: { channel: 'form', email: 'bob@nowhere-mail.example' },
        facts: { emailDomainHasMail: false },
      },
    ],
    miss: [
      { title: 'a real gmail address', lead: { channel: 'form', email: 'Jane.Doe+cars@Gmail.com' } },
      { title: 'a provider one letter away from gmail', lead: { channel: 'form', email: 'jane@ymail.com' } },
      { title: 'a country variant of a provider', lead: { channel: 'form', email: 'jane@yahoo.co.uk' } },
      {
        title: 'a company domain',
        lead: { channel: 'form', email: 'pat@smithmotors.com' },
        facts: { emailDomainHasMail: true },
      },
      { title: 'no email given', lead: { channel: 'call', phone: '+12025550147' } },
    ],
  },
});
