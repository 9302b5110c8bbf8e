import { describe, expect, it } from 'vitest';
import { editDistance, findProviderTypo } from './bad-email.ts';

describe('editDistance', () => {
  it('counts a swap of neighbours as one slip', () => {
    expect(editDistance('gmial.com', 'gmail.com', 2)).toBe(1);
    expect(editDistance('gmal.com', 'gmail.com', 2)).toBe(1);
    expect(editDistance('gmail.com', 'gmail.com', 2)).toBe(0);
  });

  it('gives up past the limit', () => {
    expect(editDistance('example.org', 'gmail.com', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 1)).toBe(2);
  });
});

describe('findProviderTypo', () => {
  it('names the provider a misspelt domain imitates', () => {
    expect(findProviderTypo('gmial.com')).toBe('gmail.com');
    expect(findProviderTypo('hotmial.com')).toBe('hotmail.com');
    expect(findProviderTypo('yaho.com')).toBe('yahoo.com');
    expect(findProviderTypo('outlok.com')).toBe('outlook.com');
    expect(findProviderTypo('gmail.con')).toBe('gmail.com');
    expect(findProviderTypo('aol.cm')).toBe('aol.com');
  });

  it('leaves real providers and ordinary company domains alone', () => {
    for (const domain of [
      'gmail.com',
      'ymail.com',
      'mail.com',
      'email.com',
      'yahoo.ca',
      'hotmail.fr',
      'aim.com',
    ]) {
      expect(findProviderTypo(domain), domain).toBeUndefined();
    }
    for (const domain of ['aon.com', 'comcast.com', 'att.com', 'smithmotors.com', 'live.nl', 'mi.com']) {
      expect(findProviderTypo(domain), domain).toBeUndefined();
    }
  });
});
