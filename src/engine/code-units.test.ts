import { describe, expect, it } from 'vitest';
import { CodeUnits } from './code-units.ts';

const codesOf = (text: string) => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i));

describe('CodeUnits', () => {
  it('gives the same code units as charCodeAt, lone surrogates and other scripts included', () => {
    const text = 'Müller \ud800 x\udc00 中文 😀 ΚΑΛΗ\u200b';
    const units = new CodeUnits().load(text);
    expect(Array.from(units.subarray(0, text.length))).toEqual(codesOf(text));
  });

  it('loads only the first count units when asked for fewer', () => {
    const buffer = new CodeUnits();
    buffer.load('zzzzzzzz');
    const units = buffer.load('abcdef', 3);
    expect(Array.from(units.subarray(0, 4))).toEqual([97, 98, 99, 122]);
  });

  it('grows for a long text and shrinks back afterwards', () => {
    const buffer = new CodeUnits();
    const long = 'ab'.repeat(100_000);
    const units = buffer.load(long);
    expect(units.length).toBeGreaterThanOrEqual(long.length);
    expect(units[long.length - 1]).toBe(98);
    buffer.shrink();
    expect(buffer.load('hi').length).toBeLessThan(long.length);
  });
});
