import { describe, expect, it } from 'vitest';
import { AsciiBlocks } from './ascii-blocks.ts';

describe('AsciiBlocks', () => {
  it('copies ASCII text as bytes, padded with spaces to whole blocks of 32 with at least one', () => {
    const blocks = new AsciiBlocks();
    blocks.load('x'.repeat(100));
    expect(blocks.load('Hello, world!')).toBe(true);
    expect(Buffer.from(blocks.bytes.subarray(0, 32)).toString('latin1')).toBe(
      `Hello, world!${' '.repeat(19)}`,
    );
    expect(blocks.load('y'.repeat(32))).toBe(true);
    expect(blocks.bytes[31]).toBe(121);
    expect(Array.from(blocks.bytes.subarray(32, 64)).every((byte) => byte === 32)).toBe(true);
  });

  it('reads four characters per quad, the first one lowest', () => {
    const blocks = new AsciiBlocks();
    blocks.load('abcd');
    expect(blocks.quads[0]).toBe(0x64636261);
  });

  it('refuses text with any non-ASCII character, and loads only the first count characters', () => {
    const blocks = new AsciiBlocks();
    expect(blocks.load('Müller')).toBe(false);
    expect(blocks.load('caf\u00e9')).toBe(false);
    expect(blocks.load('cafe\u00e9', 4)).toBe(true);
    expect(Buffer.from(blocks.bytes.subarray(0, 5)).toString('latin1')).toBe('cafe ');
  });

  it('grows for a long text and shrinks back afterwards', () => {
    const blocks = new AsciiBlocks();
    blocks.load('ab'.repeat(100_000));
    expect(blocks.bytes.length).toBeGreaterThan(200_000);
    expect(blocks.bytes[199_999]).toBe(98);
    blocks.shrink();
    expect(blocks.bytes.length).toBeLessThan(200_000);
    expect(blocks.load('hi')).toBe(true);
  });
});
