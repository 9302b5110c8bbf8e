import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { createRandom } from '../classifier/random.ts';
import { readPlainNanp } from './nanp-phone.ts';

/** What prepare read from libphonenumber before: E.164 and area code of a valid number. */
const library = (raw: string) => {
  const parsed = parsePhoneNumberFromString(raw, 'US');
  const valid = parsed?.isValid() ?? false;
  return {
    e164: valid ? parsed?.number : undefined,
    areaCode: valid && parsed?.countryCallingCode === '1' ? parsed.nationalNumber.slice(0, 3) : undefined,
  };
};

const writings = [
  (a: string, b: string, c: string) => `(${a}) ${b}-${c}`,
  (a: string, b: string, c: string) => `(${a})${b}-${c}`,
  (a: string, b: string, c: string) => `${a}-${b}-${c}`,
  (a: string, b: string, c: string) => `${a}.${b}.${c}`,
  (a: string, b: string, c: string) => `${a} ${b} ${c}`,
  (a: string, b: string, c: string) => `${a}${b}${c}`,
  (a: string, b: string, c: string) => `${a}-${b}.${c}`,
  (a: string, b: string, c: string) => `(${a}) ${b}${c}`,
];

describe('readPlainNanp', () => {
  it('reads every area code, written every plain way, as libphonenumber does', () => {
    const next = createRandom(5);
    const digits = (n: number) => String(Math.floor(next() * 10 ** n)).padStart(n, '0');
    let valid = 0;
    for (let area = 200; area <= 999; area++) {
      for (const write of writings) {
        const raw = write(String(area), digits(3), digits(4));
        const reading = readPlainNanp(raw);
        expect(reading, raw).toEqual(library(raw));
        if (reading?.e164) valid++;
      }
    }
    // Both outcomes are well represented, so the comparison means something.
    expect(valid).toBeGreaterThan(1000);
    expect(valid).toBeLessThan(6000);
  });

  it('agrees on the numbers that decide a country or validity', () => {
    for (const raw of [
      '(202) 555-0143',
      '(555) 555-5555',
      '(911) 555-1212',
      '(211) 555-0000',
      '(800) 555-1000',
      '(900) 555-0000',
      '(268) 464-1234',
      '(876) 555-0100',
      '(684) 633-1234',
      '(202) 055-0143',
      '(202) 155-0143',
      '(999) 555-0100',
      '(416) 555-0199',
      '(787) 555-0199',
    ]) {
      expect(readPlainNanp(raw), raw).toEqual(library(raw));
    }
  });

  it('leaves every other writing to the library', () => {
    for (const raw of [
      '+1 202 555 0143',
      '1-202-555-0143',
      '(123) 456-7890',
      '202 555 0143 x7',
      '212) 555-0143',
      '(2l2) 555-0143',
      ' (212) 555-0143',
      '212  555 0143',
      '212-555-01434',
      '202 555 014',
      '+44 20 7946 0958',
    ]) {
      expect(readPlainNanp(raw), raw).toBeUndefined();
    }
  });
});
