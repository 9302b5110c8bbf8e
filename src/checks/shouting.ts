// shouting: the message is mostly capital letters.
import { defineCheck } from '../engine/check.ts';

function optionNumber(options: Readonly<Record<string, unknown>>, name: string, fallback: number): number {
  const value = options[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

const NON_ASCII = /[^\u0000-\u007f]/;
const UPPER_RUNS = /\p{Lu}+/gu;
const LOWER_RUNS = /\p{Ll}+/gu;
/** Past this, more text does not change the share of capitals enough to matter; the cap bounds the work. */
const SCAN = 20_000;

/** Counts upper- and lower-case letters; plain ASCII in one pass, other scripts by Unicode property. */
function countCases(text: string): { upper: number; lower: number } {
  let upper = 0;
  let lower = 0;
  if (!NON_ASCII.test(text)) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 65 && c <= 90) upper++;
      else if (c >= 97 && c <= 122) lower++;
    }
    return { upper, lower };
  }
  for (const run of text.matchAll(UPPER_RUNS)) upper += run[0].length;
  for (const run of text.matchAll(LOWER_RUNS)) lower += run[0].length;
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
    const { upper, lower } = countCases(text.length > SCAN ? text.slice(0, SCAN) : text);
    const letters = upper + lower;
    if (letters < optionNumber(ctx.options, 'minLetters', 20)) return [];
    if (upper < letters * optionNumber(ctx.options, 'share', 0.7)) return [];
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
