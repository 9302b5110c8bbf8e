// 32-bit string hashing for the hashed feature space: FNV-1a with a namespace seed, then a murmur finaliser to spread the bits.

/** Namespace seeds keep "free" in a subject apart from "free" in a name. */
export const seeds = {
  word: 0x811c9dc5,
  pair: 0x2f2a3b17,
  gram: 0x5bd1e995,
  subject: 0x1b873593,
  name: 0x3c6ef372,
  email: 0x6a09e667,
  link: 0x510e527f,
  meta: 0x9b05688c,
  signal: 0x1f83d9ab,
} as const;

/** Murmur3's finaliser: every input bit reaches every output bit, so masking keeps the low bits uniform. */
export function mixHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a string's UTF-16 code units from `seed`, unmixed (so it can continue). */
export function hashString(seed: number, text: string, from = 0, to = text.length): number {
  let h = seed;
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** Hash of two hashes, order-sensitive (a word pair). */
export function combineHashes(a: number, b: number): number {
  return mixHash((Math.imul(a, 0x9e3779b1) ^ b) >>> 0);
}
