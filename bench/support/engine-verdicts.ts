// Dumps prepared leads and verdicts for the dev leads and mutated variants under two configurations, so a speed-up can be checked byte for byte.
// Usage: node --import tsx bench/support/engine-verdicts.ts > before.jsonl; (change); again > after.jsonl; cmp before.jsonl after.jsonl
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLeadLine } from '../../src/cli/lead-line.ts';
import { loadModel } from '../../src/classifier/model-file.ts';
import { createRandom } from '../../src/classifier/random.ts';
import { compileConfig } from '../../src/engine/compile.ts';
import type { AccountConfigInput } from '../../src/engine/config.ts';
import { prepareLead, setPhoneCacheSize } from '../../src/engine/prepare.ts';
import { issueRenderToken } from '../../src/engine/render-token.ts';
import { screenLead } from '../../src/engine/screen.ts';
import type { Facts, Lead } from '../../src/engine/types.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'verdicts-secret';
const NOW = Date.parse('2026-11-23T12:00:00Z');
// Parsing, not the cache, is what is compared.
setPhoneCacheSize(0);

const next = createRandom(11);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

const PHONES = [
  '(202) 555-0143',
  '202.555.0143',
  '202-555-0143',
  '2025550143',
  '+1 202 555 0143',
  '+12025550143',
  '1-202-555-0143',
  '1 (202) 555-0143',
  '+1 (202) 555-0143 ext. 12',
  '202 555 0143 x7',
  '555-0143',
  '(800) FLOWERS',
  '１２０２５５５０１４３',
  '+44 20 7946 0958',
  '020 7946 0958',
  '+33 1 42 68 53 00',
  '011 44 20 7946 0958',
  '(555) 555-5555',
  '(123) 456-7890',
  '(911) 555-1212',
  '212-555-01434',
  '+1 212 555 01434',
  '   (415)555-2671  ',
  '415 555 2671 ',
  'tel:+1-415-555-2671',
  '+1-415-555-2671;ext=5',
  '+1 800 555 0199',
  '(876) 555-0100',
  '+1 (684) 633-1234',
  '(212)5550143',
  '212) 555-0143',
  '((212)) 555 0143',
  '+0 212 555 0143',
  '00 1 212 555 0143',
  '+1 212 555 014',
  '212555014312',
  '1 212 555 0143 1',
  '+52 55 1234 5678',
  '  ',
  'call me',
  '+',
  '1',
  '+1',
  '0',
  '2125550143'.repeat(5),
  '(2l2) 555-0143',
  '212 555 O143',
  '٢١٢٥٥٥٠١٤٣',
  '+1 415 555 2671 ',
  '+1.415.555.2671',
  '415/555/2671',
  '415–555–2671',
  '+1 (415) 555‑2671',
  '1(415)5552671',
  '+14155552671 ext 3',
  '4155552671#22',
  '+1 415 555 2671 ext. 1234567',
  '1-800-FLOWERS',
  '+1 268 464 1234',
  '(213) 555-0199',
  '(310) 555-0188',
  '(646) 555-0123',
  '(917) 555-0177',
  '(305) 555-0166',
  '(999) 555-0100',
  '(200) 555-1234',
  '(299) 555-1234',
  '(899) 555-9998',
  '(800) 555-1000',
  '(888) 555-1000',
  '(877) 555-1000',
  '(500) 555-0000',
  '(600) 555-0000',
  '(700) 555-0000',
  '(900) 555-0000',
  '(211) 555-0000',
  '(311) 555-0000',
  '(202) 055-0143',
  '(202) 155-0143',
  '(202) 955-0143',
  '(202) 555-01',
  '+1 202 555 0143 0143',
];
const LOOK = new Map([...'aeopcxy'].map((c, i) => [c, 'аеорсху'[i] as string]));
const ACCENT = new Map([...'aeiounc'].map((c, i) => [c, 'áéîõüñç'[i] as string]));

/** One text changed in one of several ways a spammer, or an ordinary visitor, might. */
function mutateText(text: string, kind: number): string {
  switch (kind) {
    case 0:
      return text.replace(/[aeiounc]/g, (c) => (next() < 0.3 ? (ACCENT.get(c) ?? c) : c));
    case 1:
      return text.replace(/[aeopcxy]/g, (c) => (next() < 0.3 ? (LOOK.get(c) ?? c) : c));
    case 2:
      return text.toUpperCase();
    case 3:
      return text.replace(/(\w)(\w)/g, (_, a: string, b: string) =>
        next() < 0.2 ? `${a}${pick(['\u200b', '\u00ad', '\ufeff', '\u200d'])}${b}` : `${a}${b}`,
      );
    case 4:
      return `${text}\nVisit ${pick(['cheap-seo[.]com', 'hxxp://spam.example.ru/x', 'best (dot) casino [dot] net', 'www.deals . com', 'http://[::1]/', 'shop.co.uk/buy', 'readme.md', 'Work.It was'])} now`;
    case 5:
      return text.slice(0, 80).replace(/ /g, '') + ' ΚΑΛΗΜΕΡΑ Σας ΟΔΟΣ δόξα' + ' 免费 カジノ ไทย';
    case 6:
      return `${text} xKjdhsYTq qwzxkjhd asdfghjk BUY NOW!!! 100% free`;
    default:
      return text.normalize('NFD');
  }
}

function mutate(lead: Lead, index: number): Lead {
  const kind = index % 9;
  const message = lead.message ?? '';
  const base: Lead = {
    ...lead,
    message: mutateText(message, kind),
    subject: lead.subject ? mutateText(lead.subject, (kind + 3) % 8) : lead.subject,
    name: lead.name ? mutateText(lead.name, (kind + 1) % 8) : pick(['xKjdhsYTq', 'Mkhize', 'a@b.com']),
    phone: pick(PHONES),
  };
  if (kind === 8) {
    return {
      ...base,
      fields: {
        vehicle: { make: 'Ford', model: ['F-150', 'XLT', { trim: 'Lariat', year: 2021 }] },
        comments: mutateText(message.slice(0, 300), 1),
        website: pick(['https://cheap-seo.example.com', 'dealer.example', 'spam[.]ru', '']),
        deep: { a: { b: { c: { d: { e: { f: { g: { h: 'too deep' } } } } } } } },
        flag: true,
        count: 3,
        empty: null,
      },
    };
  }
  return base;
}

function loadLeads(): Lead[] {
  const text = readFileSync(`${root}../shared/data/leads-dev.jsonl`, 'utf8');
  const leads: Lead[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const parsed = parseLeadLine(line);
    if ('error' in parsed) throw new Error(parsed.error);
    leads.push(parsed.lead);
  }
  return leads;
}

const tokenAt = (secondsAgo: number, formKey = 'form_1') =>
  issueRenderToken({ secret: SECRET, formKey, now: NOW - secondsAgo * 1000, nonce: `n${secondsAgo}` });
const TOKENS = [
  tokenAt(40),
  tokenAt(40),
  tokenAt(1),
  tokenAt(2),
  tokenAt(90_000),
  tokenAt(40, 'form_2'),
  '',
  ' ',
  'AQAAAAAAAAAA.c2lnbmF0dXJlc2lnbmF0dXJl',
  'not.a.token',
  `${tokenAt(40)}x`,
  ` ${tokenAt(30)} `,
  'abc',
  undefined,
];

/** The same lead as a form submission with one of several tokens, referrers and honeypots. */
function asForm(lead: Lead, index: number): Lead {
  return {
    ...lead,
    channel: index % 7 === 6 ? 'akismet' : 'form',
    honeypot: index % 13 === 0 ? 'filled' : '',
    renderToken: TOKENS[index % TOKENS.length],
    referrer: pick(['https://www.dealer.example/contact', 'https://evil.example/', '', undefined]),
    ip: `198.51.100.${index % 250}`,
  };
}

const WORDS = 'cheap viagra casino bonus loan crypto seo ranking free money click here mortgage offer'.split(
  ' ',
);
const realistic: AccountConfigInput = {
  siteDomains: ['dealer.example'],
  keywords: [
    ...WORDS.flatMap((a) => WORDS.map((b) => `${a} ${b}`)),
    ...WORDS,
    '100% free',
    'казино',
    '免费',
    'click here!',
    'e-mail',
    'c++',
    'xkjdhsytq',
    { id: 'k1', phrase: 'Mortgage' },
    { id: 'k2', phrase: 'unsubscribe' },
  ],
  rules: [
    { action: 'block', dimension: 'area_code', value: '555' },
    { action: 'block', dimension: 'phone', value: '+1 (415) 555-2671' },
    { action: 'block', dimension: 'domain', value: 'hotmail.com' },
    { action: 'allow', dimension: 'email', value: 'kre@munnari.oz.au' },
    { action: 'block', dimension: 'area_code', value: '212' },
    { action: 'allow', dimension: 'phone', value: '2025550143' },
  ],
};
const strict: AccountConfigInput = {
  siteDomains: ['example.com', 'dealer.example'],
  keywords: ['the', 'free', 'a b c', 'of the'],
  thresholds: { quarantine: 3 },
  language: 'ru',
  allowlistOnly: ['area_code'],
  rules: [{ action: 'allow', dimension: 'area_code', value: '202' }],
  renderToken: { minSeconds: 30, maxAgeSeconds: 60 },
  checks: {
    shouting: { options: { share: 0.4, minLetters: 5 } },
    render_token: { options: { formKey: 'form_1' } },
    gibberish: { score: 4 },
    mostly_links: { enabled: false },
  },
};

const model = await loadModel();
const configs = [
  ['realistic', compileConfig(realistic, { renderTokenSecret: SECRET, version: 'a' })],
  ['strict', compileConfig(strict, { renderTokenSecret: SECRET, version: 'b' })],
] as const;
const dev = loadLeads();
const leads = [...dev, ...dev.map(mutate), ...dev.map((lead, i) => asForm(mutate(lead, i + 4), i))];
const out: string[] = [];
leads.forEach((lead, i) => {
  const { raw: _raw, ...prepared } = prepareLead(lead);
  out.push(JSON.stringify(prepared));
  const facts: Facts = {
    now: NOW,
    ipCount: i % 400,
    tokenReplayed: i % 17 === 0,
    sameBodyOtherSenders: i % 5,
    contactQuarantined: i % 31 === 0,
  };
  for (const [name, config] of configs) {
    out.push(JSON.stringify([name, screenLead(lead, config, facts)]));
    out.push(JSON.stringify([name, 'model', screenLead(lead, config, facts, { model })]));
  }
});
process.stdout.write(`${out.join('\n')}\n`);
