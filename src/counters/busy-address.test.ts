import { describe, expect, it } from 'vitest';
import { isBusyAddress } from './busy-address.ts';

describe('isBusyAddress', () => {
  it('goes behind from a tenth of the limit, never below ten leads, and never without a limit', () => {
    expect(isBusyAddress(30, 300)).toBe(false);
    expect(isBusyAddress(31, 300)).toBe(true);
    expect(isBusyAddress(10, 20)).toBe(false);
    expect(isBusyAddress(11, 20)).toBe(true);
    expect(isBusyAddress(10_000, undefined)).toBe(false);
  });
});
