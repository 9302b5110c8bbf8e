// CSV export with hostile cells: read back by RFC 4180 rules, every cell is the text given, and none starts a formula.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../web/src/csv.ts';

/** Characters that make a spreadsheet run a cell as a formula (OWASP, and NUL from ASVS 5.0 1.2.10). */
const FORMULA_START = ['=', '+', '-', '@', '\t', '\r', '\u0000'];

/** An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks; records end at CRLF. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let at = 0;
  for (;;) {
    let cell = '';
    if (text[at] === '"') {
      at += 1;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error('unterminated quoted field');
        cell += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        cell += '"';
        at += 1;
      }
    } else {
      const end = text.slice(at).search(/,|\r\n|$/);
      cell = text.slice(at, at + end);
      if (/["\r\n]/.test(cell))
        throw new Error(`unquoted field holds a quote or line break: ${JSON.stringify(cell)}`);
      at += end;
    }
    row.push(cell);
    if (text[at] === ',') at += 1;
    else if (text.startsWith('\r\n', at)) {
      rows.push(row);
      row = [];
      at += 2;
    } else if (at >= text.length) {
      rows.push(row);
      return rows;
    } else throw new Error(`stray character after a field at ${at}`);
  }
}

const payload = fc.oneof(
  fc.constantFrom(
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    '+1+1',
    '-2+3',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=1+1',
    '\r=1+1',
    '\u0000=1+1',
    '"=1+2";=1+2',
    '=1+2\'" ;,=1+2',
    'a,b\r\nc',
    '"',
    '',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: 'binary' }),
);
const cell = fc.oneof({ weight: 5, arbitrary: payload }, fc.integer(), fc.double({ noNaN: true }));

describe('CSV export with hostile cells', () => {
  it('reads back cell for cell, text cells starting a formula kept as text behind a quote', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          const read = readCsv(toCsv(rows));
          expect(read).toEqual(
            rows.map((row) =>
              row.map((value) =>
                typeof value === 'string' && FORMULA_START.some((start) => value.startsWith(start))
                  ? `'${value}`
                  : String(value),
              ),
            ),
          );
          for (const [r, row] of read.entries())
            for (const [c, text] of row.entries())
              if (typeof rows[r]?.[c] === 'string')
                expect(
                  FORMULA_START.some((start) => text.startsWith(start)),
                  JSON.stringify(text),
                ).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('neutralises the OWASP examples and a NUL-led cell', () => {
    expect(toCsv([['=1+2";=1+2', '\u0000=1+1', '-2+3']])).toBe(`"'=1+2"";=1+2",'\u0000=1+1,'-2+3`);
  });
});
