// HMAC-SHA256 (RFC 2104, FIPS 180-4) with the key's padded blocks hashed once: the render token's MAC is checked on every form lead.
import { createHash } from 'node:crypto';

/**
 * Node's createHmac hashes the two padded key blocks again, and builds a native object, for every
 * MAC: about 2 µs for a 30-byte token, where the two blocks left to hash take a fraction of that
 * here. Tests compare every result with node:crypto.
 */
export interface HmacSha256Key {
  /** SHA-256 state after the key block xor 0x36 (ipad). */
  readonly inner: Int32Array;
  /** SHA-256 state after the key block xor 0x5c (opad). */
  readonly outer: Int32Array;
}

const K = Int32Array.of(
  0x428a2f98,
  0x71374491,
  0xb5c0fbcf,
  0xe9b5dba5,
  0x3956c25b,
  0x59f111f1,
  0x923f82a4,
  0xab1c5ed5,
  0xd807aa98,
  0x12835b01,
  0x243185be,
  0x550c7dc3,
  0x72be5d74,
  0x80deb1fe,
  0x9bdc06a7,
  0xc19bf174,
  0xe49b69c1,
  0xefbe4786,
  0x0fc19dc6,
  0x240ca1cc,
  0x2de92c6f,
  0x4a7484aa,
  0x5cb0a9dc,
  0x76f988da,
  0x983e5152,
  0xa831c66d,
  0xb00327c8,
  0xbf597fc7,
  0xc6e00bf3,
  0xd5a79147,
  0x06ca6351,
  0x14292967,
  0x27b70a85,
  0x2e1b2138,
  0x4d2c6dfc,
  0x53380d13,
  0x650a7354,
  0x766a0abb,
  0x81c2c92e,
  0x92722c85,
  0xa2bfe8a1,
  0xa81a664b,
  0xc24b8b70,
  0xc76c51a3,
  0xd192e819,
  0xd6990624,
  0xf40e3585,
  0x106aa070,
  0x19a4c116,
  0x1e376c08,
  0x2748774c,
  0x34b0bcb5,
  0x391c0cb3,
  0x4ed8aa4a,
  0x5b9cca4f,
  0x682e6ff3,
  0x748f82ee,
  0x78a5636f,
  0x84c87814,
  0x8cc70208,
  0x90befffa,
  0xa4506ceb,
  0xbef9a3f7,
  0xc67178f2,
);
const INITIAL = Int32Array.of(
  0x6a09e667,
  0xbb67ae85,
  0x3c6ef372,
  0xa54ff53a,
  0x510e527f,
  0x9b05688c,
  0x1f83d9ab,
  0x5be0cd19,
);
const BLOCK = 64;

/** Message schedule, reused: hashing is synchronous. */
const schedule = new Int32Array(64);

/** Hashes the 64-byte block at `offset` of `bytes` into `state`. */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) {
    const at = offset + t * 4;
    w[t] =
      ((bytes[at] as number) << 24) |
      ((bytes[at + 1] as number) << 16) |
      ((bytes[at + 2] as number) << 8) |
      (bytes[at + 3] as number);
  }
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15] as number;
    const y = w[t - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = ((w[t - 16] as number) + s0 + (w[t - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const choice = (e & f) ^ (~e & g);
    const t1 = (h + s1 + choice + (K[t] as number) + (w[t] as number)) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const majority = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + s0 + majority) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** Message blocks with their padding, reused; grown for a longer message. */
let padded = new Uint8Array(512);

/**
 * Hashes `length` bytes of `message` into `state`, which has already hashed `before` bytes (whole
 * blocks), padding as SHA-256 does; then writes the digest into `out` at `outOffset`.
 */
function finish(
  state: Int32Array,
  before: number,
  message: Uint8Array,
  length: number,
  out: Uint8Array,
  outOffset: number,
): void {
  // The message, 0x80, zeros, and the total length in bits as 64 bits (messages here are far below 2^29 bytes).
  const size = Math.ceil((length + 9) / BLOCK) * BLOCK;
  if (padded.length < size) padded = new Uint8Array(size);
  const blocks = padded;
  blocks.set(message.subarray(0, length));
  blocks.fill(0, length, size);
  blocks[length] = 0x80;
  const bits = (before + length) * 8;
  blocks[size - 4] = bits >>> 24;
  blocks[size - 3] = bits >>> 16;
  blocks[size - 2] = bits >>> 8;
  blocks[size - 1] = bits;
  blocks[size - 5] = Math.floor(bits / 2 ** 32);
  for (let offset = 0; offset < size; offset += BLOCK) compress(state, blocks, offset);
  for (let i = 0; i < 8; i++) {
    const word = state[i] as number;
    out[outOffset + i * 4] = word >>> 24;
    out[outOffset + i * 4 + 1] = word >>> 16;
    out[outOffset + i * 4 + 2] = word >>> 8;
    out[outOffset + i * 4 + 3] = word;
  }
}

/** The key's two padded blocks hashed, as HMAC-SHA256 uses them (a key longer than a block is hashed first). */
export function prepareHmacSha256Key(secret: string | Uint8Array): HmacSha256Key {
  let key: Uint8Array = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
  const block = new Uint8Array(BLOCK);
  const pad = (value: number): Int32Array => {
    for (let i = 0; i < BLOCK; i++) block[i] = (key[i] ?? 0) ^ value;
    const state = Int32Array.from(INITIAL);
    compress(state, block, 0);
    return state;
  };
  return Object.freeze({ inner: pad(0x36), outer: pad(0x5c) });
}

const state = new Int32Array(8);
const innerDigest = new Uint8Array(32);

/** Writes the 32-byte HMAC-SHA256 of the first `length` bytes of `message` into `out` at `outOffset`. */
export function hmacSha256(
  key: HmacSha256Key,
  message: Uint8Array,
  length: number,
  out: Uint8Array,
  outOffset = 0,
): void {
  state.set(key.inner);
  finish(state, BLOCK, message, length, innerDigest, 0);
  state.set(key.outer);
  finish(state, BLOCK, innerDigest, 32, out, outOffset);
}
