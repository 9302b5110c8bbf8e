// shouting: the message is mostly capital letters.
import { defineCheck } from '../engine/check.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/** Past this, more text does not change the share of capitals enough to matter; the cap bounds the work. */
const SCAN = 20_000;

/**
 * Counts upper- and lower-case letters, or gives up (undefined) as soon as the lower-case letters
 * seen rule out a `share` of capitals whatever the rest says: normal text is dismissed after about
 * a third of it.
 */
function countCapitals(text: string, share: number): { upper: number; lower: number } | undefined {
  let upper = 0;
  let lower = 0;
  const lowerPerUpper = (1 - share) / share;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    let isLower = false;
    if (c < 128) {
      if (c >= 65 && c <= 90) upper++;
      else isLower = c >= 97 && c <= 122;
    } else {
      // Other scripts: a letter is a capital when lower-casing changes it (Cyrillic, Greek, accented Latin).
      const char = text.charAt(i);
      if (char !== char.toLowerCase()) upper++;
      else isLower = char !== char.toUpperCase();
    }
    if (isLower && ++lower > lowerPerUpper * (upper + length - i - 1)) return undefined;
  }
  return { upper, lower };
}

export const shouting = defineCheck({
  name: 'shouting',
  description:
    'At least `share` (default 70%) of the message’s cased letters are capitals, with at least `minLetters` (default 20) letters so that a short "OK" or an acronym does not count.',
  defaultScore: 1,
  run(lead, ctx) {
    const text = lead.freeText;
    if (!text) return [];
    const share = Math.min(Math.max(optionNumber(ctx.options, 'share', 0.7), 0.01), 1);
    const counts = countCapitals(text.length > SCAN ? text.slice(0, SCAN) : text, share);
    if (!counts) return [];
    const { upper, lower } = counts;
    const letters = upper + lower;
    if (letters < optionNumber(ctx.options, 'minLetters', 20)) return [];
    if (upper < letters * share) return [];
    return [
      {
        score: ctx.score,
        reason: 'message is written in capitals',
        evidence: `${Math.round((upper / letters) * 100)}% capitals: ${text.slice(0, 120)}`,
      },
    ];
  },
  examples: {
    hit: [
      {
        title: 'an all-caps offer',
        lead: { channel: 'form', message: 'BUY NOW!!! LIMITED OFFER, CHEAPEST PRICES ON THE WEB' },
      },
      {
        title: 'capitals in Cyrillic',
        lead: { channel: 'form', message: 'СРОЧНО ПОЗВОНИТЕ НАМ СЕГОДНЯ ЖЕ, СКИДКА' },
      },
    ],
    miss: [
      {
        title: 'a normal sentence',
        lead: { channel: 'form', message: 'Is the Ford F-150 XLT still available? Thanks, Jim' },
      },
      { title: 'a short all-caps reply', lead: { channel: 'form', message: 'CALL ME ASAP' } },
      {
        title: 'Chinese text has no capitals',
        lead: { channel: 'form', message: '请尽快给我回电话，谢谢。我想了解这辆车的价格和配置。' },
      },
    ],
  },
});
