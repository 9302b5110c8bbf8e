import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, prepareHmacSha256Key } from './hmac-sha256.ts';

const ours = (secret: string | Buffer, message: Buffer): string => {
  const out = Buffer.alloc(32);
  hmacSha256(prepareHmacSha256Key(secret), message, message.length, out);
  return out.toString('hex');
};
const node = (secret: string | Buffer, message: Buffer): string =>
  createHmac('sha256', secret).update(message).digest('hex');

describe('hmacSha256', () => {
  it('gives the RFC 4231 test vectors', () => {
    const key = Buffer.alloc(20, 0x0b);
    expect(ours(key, Buffer.from('Hi There'))).toBe(
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    );
    expect(ours('Jefe', Buffer.from('what do ya want for nothing?'))).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('agrees with node:crypto for every message length across several blocks', () => {
    for (let length = 0; length <= 300; length++) {
      const message = randomBytes(length);
      expect(ours('render-secret', message), `${length} bytes`).toBe(node('render-secret', message));
    }
  });

  it('agrees with node:crypto for short, block-sized, long and non-ASCII keys', () => {
    const message = randomBytes(40);
    for (let length = 0; length <= 130; length++) {
      const key = randomBytes(length);
      expect(ours(key, message), `${length}-byte key`).toBe(node(key, message));
    }
    for (const secret of ['', 'ключ-секрет', '秘密'.repeat(20), 'x'.repeat(64), 'x'.repeat(65)])
      expect(ours(secret, message), secret).toBe(node(secret, message));
  });

  it('writes at an offset and leaves nothing behind between messages', () => {
    const key = prepareHmacSha256Key('k');
    const out = Buffer.alloc(40, 0xee);
    hmacSha256(
      key,
      Buffer.from('a longer message that spans more than one block of sixty-four bytes'),
      67,
      out,
      8,
    );
    hmacSha256(key, Buffer.from('short'), 5, out, 8);
    expect(out.subarray(8).toString('hex')).toBe(node('k', Buffer.from('short')));
    expect(out.subarray(0, 8).every((byte) => byte === 0xee)).toBe(true);
  });
});
