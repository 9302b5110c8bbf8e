// script_mismatch: the text is mostly in a writing system unusual for the form's language (Cyrillic or Chinese on an English form).
import { defineCheck } from '../engine/check.ts';

/**
 * Scripts people write each language in. Latin is accepted on every form (names, brands and
 * URLs are written in it everywhere), so the check catches e.g. Chinese on a Russian form, not
 * English on it.
 */
const LANGUAGE_SCRIPTS: Readonly<Record<string, readonly string[]>> = {
  ru: ['Cyrillic'],
  uk: ['Cyrillic'],
  be: ['Cyrillic'],
  bg: ['Cyrillic'],
  mk: ['Cyrillic'],
  sr: ['Cyrillic'],
  kk: ['Cyrillic'],
  ky: ['Cyrillic'],
  mn: ['Cyrillic'],
  tg: ['Cyrillic'],
  el: ['Greek'],
  zh: ['Han'],
  ja: ['Han', 'Hiragana', 'Katakana'],
  ko: ['Hangul', 'Han'],
  ar: ['Arabic'],
  fa: ['Arabic'],
  ur: ['Arabic'],
  ps: ['Arabic'],
  he: ['Hebrew'],
  yi: ['Hebrew'],
  hi: ['Devanagari'],
  mr: ['Devanagari'],
  ne: ['Devanagari'],
  bn: ['Bengali'],
  pa: ['Gurmukhi'],
  gu: ['Gujarati'],
  ta: ['Tamil'],
  te: ['Telugu'],
  kn: ['Kannada'],
  ml: ['Malayalam'],
  si: ['Sinhala'],
  th: ['Thai'],
  lo: ['Lao'],
  km: ['Khmer'],
  my: ['Myanmar'],
  ka: ['Georgian'],
  hy: ['Armenian'],
  am: ['Ethiopic'],
};
/** Languages written in Latin script only. A language not listed here or above keeps the check silent. */
const LATIN_LANGUAGES = new Set(
  `en fr de es it pt nl sv no nb nn da fi is et lv lt pl cs sk sl hr bs hu ro sq tr az uz ms id tl vi sw
  ga cy eu ca gl mt af zu xh yo ig ha so lb fo`.split(/\s+/),
);
/** Scripts the check names in its reason; anything else is "another writing system". */
const NAMED_SCRIPTS = [
  'Cyrillic',
  'Han',
  'Hangul',
  'Arabic',
  'Hebrew',
  'Greek',
  'Devanagari',
  'Thai',
  'Hiragana',
  'Katakana',
];
const NAMED_SCRIPT_TESTS = NAMED_SCRIPTS.map((script) => ({
  script,
  test: new RegExp(`\\p{Script=${script}}`, 'u'),
}));

const NON_ASCII_LETTER_RUNS = /[^\P{L}\u0000-\u007f]+/gu;
/** The first 2,000 characters show which writing system a message is in. */
const SCAN = 2000;
const VALID_SCRIPT_NAME = /^[A-Z][A-Za-z_]{1,30}$/;

const foreignLetterRuns = new Map<string, RegExp | undefined>();

/** A regex matching runs of letters outside the expected scripts (and Latin), built once per script set. */
function foreignRunsFor(scripts: readonly string[]): RegExp | undefined {
  const key = scripts.join(',');
  if (foreignLetterRuns.has(key)) return foreignLetterRuns.get(key);
  let regex: RegExp | undefined;
  try {
    const allowed = ['Latin', ...scripts].map((script) => `\\p{Script=${script}}`).join('');
    regex = new RegExp(`[^${allowed}\\P{L}]+`, 'gu');
  } catch {
    // An unknown script name in configuration disables the check rather than failing the lead.
    regex = undefined;
  }
  if (foreignLetterRuns.size > 100) foreignLetterRuns.clear();
  foreignLetterRuns.set(key, regex);
  return regex;
}

function expectedScripts(language: string | undefined, option: unknown): readonly string[] | undefined {
  if (Array.isArray(option)) {
    const names = option.filter(
      (name): name is string => typeof name === 'string' && VALID_SCRIPT_NAME.test(name),
    );
    return names.length === option.length ? names : undefined;
  }
  if (!language) return undefined;
  const primary = language.toLowerCase().split(/[-_]/, 1)[0] ?? '';
  if (LATIN_LANGUAGES.has(primary)) return [];
  return LANGUAGE_SCRIPTS[primary];
}

function countAsciiLetters(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) count++;
  }
  return count;
}

export const scriptMismatch = defineCheck({
  name: 'script_mismatch',
  description:
    "Most letters of the name and message are in a writing system unusual for the form's language (settings `language`, e.g. Cyrillic or Chinese on an `en` form). Latin is accepted everywhere. Option `scripts` lists the expected Unicode scripts instead. Silent when no language is configured.",
  defaultScore: 3,
  run(lead, ctx) {
    const scripts = expectedScripts(ctx.config.settings.language, ctx.options.scripts);
    if (!scripts) return [];
    // Plain ASCII (most leads) is Latin, accepted everywhere: a byte count tells without a scan.
    const head = lead.freeText.length > SCAN ? lead.freeText.slice(0, SCAN) : lead.freeText;
    if (Buffer.byteLength(head) === head.length && Buffer.byteLength(lead.name) === lead.name.length)
      return [];
    const text = lead.name ? `${lead.name}\n${head}` : head;
    const foreignRuns = foreignRunsFor(scripts);
    if (!foreignRuns) return [];
    let foreign = 0;
    let firstForeign = '';
    for (const run of text.matchAll(foreignRuns)) {
      foreign += run[0].length;
      if (!firstForeign) firstForeign = run[0];
    }
    const minLetters = typeof ctx.options.minLetters === 'number' ? ctx.options.minLetters : 8;
    if (foreign < minLetters) return [];
    let otherNonAscii = 0;
    for (const run of text.matchAll(NON_ASCII_LETTER_RUNS)) otherNonAscii += run[0].length;
    const letters = countAsciiLetters(text) + otherNonAscii;
    if (foreign * 2 < letters) return [];
    const named = NAMED_SCRIPT_TESTS.find(({ test }) => test.test(firstForeign))?.script;
    const language = ctx.config.settings.language ?? 'configured';
    return [
      {
        score: ctx.score,
        reason: `text is mostly in ${named ? `${named} script` : 'another writing system'}, unusual for a ${language} form`,
        evidence: text.slice(0, 120),
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'Russian text on an English form',
        lead: {
          channel: 'form',
          name: 'Иван',
          message: 'Здравствуйте, предлагаем продвижение сайта в поисковых системах',
        },
        config: { language: 'en' },
      },
      {
        title: 'Chinese text on an English form',
        lead: { channel: 'form', message: '您好，我们提供网站推广服务，价格优惠，请联系我们。' },
        config: { language: 'en-US' },
      },
      {
        title: 'Chinese text on a Russian form',
        lead: { channel: 'form', message: '您好，我们提供网站推广服务，价格优惠，请联系我们。' },
        config: { language: 'ru' },
      },
    ],
    miss: [
      {
        title: 'English with accented names on an English form',
        lead: {
          channel: 'form',
          name: 'José Müller',
          message: 'Hi, is the Škoda Octavia still for sale? Merci!',
        },
        config: { language: 'en' },
      },
      {
        title: 'Russian text on a Russian form',
        lead: { channel: 'form', message: 'Здравствуйте, интересует автомобиль, позвоните мне' },
        config: { language: 'ru' },
      },
      {
        title: 'a Chinese name in an English message',
        lead: {
          channel: 'form',
          name: '王伟',
          message: 'Hello, I would like a test drive on Saturday morning please.',
        },
        config: { language: 'en' },
      },
      {
        title: 'no language configured',
        lead: { channel: 'form', message: 'Здравствуйте, предлагаем продвижение сайта в поисковых системах' },
      },
    ],
  },
});
