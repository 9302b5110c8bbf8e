// Finds an account's keyword phrases in folded lead text in one pass: an Aho-Corasick automaton over word tokens.
import { AsciiBlocks } from './ascii-blocks.ts';
import { foldText } from './text.ts';

export interface KeywordHit {
  /** The phrase as the account entered it. */
  readonly phrase: string;
  readonly id?: string;
  /** Where the phrase starts in the searched (folded) text. */
  readonly index: number;
}

export interface KeywordMatcher {
  /** Distinct phrases compiled (after folding; empty ones dropped). */
  readonly size: number;
  /**
   * Every distinct phrase found on word boundaries, once each, at its first occurrence, in the
   * order their ends appear; at most `limit` of them. `folded` must come from `foldText`; `ascii`
   * says the caller knows it is plain ASCII.
   */
  findAll(folded: string, limit?: number, ascii?: boolean): KeywordHit[];
}

/**
 * Tokens are runs of letters and digits; every other visible character is a token of its own;
 * whitespace and control characters separate. Matching whole tokens gives word boundaries for
 * free ("sex" never hits "Essex") and keeps punctuation in a phrase meaningful ("100% free").
 * Scripts written without spaces make one token per character so their phrases still match.
 */
const SEPARATOR = 1;
const WORD = 2;
const SINGLE = 3;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const SPACE_CHAR = /[\s\p{Cc}\p{Cf}]/u;
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const charClasses = new Uint8Array(65536);

function classify(code: number): number {
  const known = charClasses[code] ?? 0;
  if (known !== 0) return known;
  const char = String.fromCharCode(code);
  let cls = SINGLE;
  if (code >= 0xd800 && code <= 0xdfff) cls = SINGLE;
  else if (SPACE_CHAR.test(char)) cls = SEPARATOR;
  else if (UNSPACED_SCRIPT.test(char)) cls = SINGLE;
  else if (WORD_CHAR.test(char)) cls = WORD;
  charClasses[code] = cls;
  return cls;
}
for (let code = 0; code < 128; code++) classify(code);

// FNV-1a, masked to 30 bits so keys stay small integers. Collisions only cost a
// comparison: every candidate match is verified against the phrase's own tokens.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const HASH_MASK = 0x3fffffff;

/** Token buffers for compiling phrases, reused: compiling is synchronous. */
let starts = new Int32Array(1024);
let ends = new Int32Array(1024);
let hashes = new Int32Array(1024);

/** Room for `tokens` tokens; contents need not survive, tokenize refills them. */
function reserve(tokens: number): void {
  if (starts.length >= tokens) return;
  let size = starts.length;
  while (size < tokens) size *= 2;
  starts = new Int32Array(size);
  ends = new Int32Array(size);
  hashes = new Int32Array(size);
}

/** A huge phrase should not pin megabytes of buffers for the life of the process. */
function releaseLargeBuffers(): void {
  if (starts.length <= 1 << 16) return;
  starts = new Int32Array(1024);
  ends = new Int32Array(1024);
  hashes = new Int32Array(1024);
}

/** Splits text into tokens in the shared buffers; returns how many. */
function tokenize(text: string): number {
  const length = text.length;
  // At most one token per character: size the buffers once so the loop never checks.
  reserve(length + 1);
  const tokenStarts = starts;
  const tokenEnds = ends;
  const tokenHashes = hashes;
  const classes = charClasses;
  let count = 0;
  let start = -1;
  let hash = 0;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const cls = code < 128 ? (classes[code] as number) : classify(code);
    if (cls === WORD) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
      continue;
    }
    if (start >= 0) {
      tokenStarts[count] = start;
      tokenEnds[count] = i;
      tokenHashes[count++] = hash & HASH_MASK;
      start = -1;
    }
    if (cls === SINGLE) {
      tokenStarts[count] = i;
      tokenEnds[count] = i + 1;
      tokenHashes[count++] = Math.imul(FNV_OFFSET ^ code, FNV_PRIME) & HASH_MASK;
    }
  }
  if (start >= 0) {
    tokenStarts[count] = start;
    tokenEnds[count] = length;
    tokenHashes[count++] = hash & HASH_MASK;
  }
  return count;
}

interface Phrase {
  readonly phrase: string;
  readonly id: string | undefined;
  readonly tokens: readonly string[];
}

/** The trie with failure links; a node's children are one inline edge or a map once it branches. */
class Automaton {
  readonly edgeKey: number[] = [-1];
  readonly edgeNode: number[] = [-1];
  readonly edgeMap: (Map<number, number> | undefined)[] = [undefined];
  /** First phrase ending at a node, and the next phrase ending at the same node (hash collisions). */
  readonly outHead: number[] = [-1];
  readonly phraseNext: number[] = [];
  fail: Int32Array = new Int32Array(1);
  /** Nearest node down the failure chain that has phrases, 0 when none. */
  dict: Int32Array = new Int32Array(1);

  child(node: number, key: number): number {
    const map = this.edgeMap[node];
    if (map) return map.get(key) ?? -1;
    return this.edgeKey[node] === key ? (this.edgeNode[node] as number) : -1;
  }

  addChild(node: number, key: number): number {
    const existing = this.child(node, key);
    if (existing >= 0) return existing;
    const fresh = this.edgeKey.length;
    this.edgeKey.push(-1);
    this.edgeNode.push(-1);
    this.edgeMap.push(undefined);
    this.outHead.push(-1);
    const map = this.edgeMap[node];
    if (map) map.set(key, fresh);
    else if (this.edgeKey[node] === -1) {
      this.edgeKey[node] = key;
      this.edgeNode[node] = fresh;
    } else {
      this.edgeMap[node] = new Map([
        [this.edgeKey[node] as number, this.edgeNode[node] as number],
        [key, fresh],
      ]);
    }
    return fresh;
  }

  *children(node: number): Generator<[number, number]> {
    const map = this.edgeMap[node];
    if (map) yield* map;
    else if ((this.edgeKey[node] as number) >= 0)
      yield [this.edgeKey[node] as number, this.edgeNode[node] as number];
  }

  /** Breadth-first failure and dictionary links, as in Aho-Corasick. */
  link(): void {
    const count = this.edgeKey.length;
    this.fail = new Int32Array(count);
    this.dict = new Int32Array(count);
    const queue: number[] = [0];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as number;
      for (const [key, next] of this.children(node)) {
        let fallback = 0;
        if (node !== 0) {
          let f = this.fail[node] as number;
          while (f !== 0 && this.child(f, key) < 0) f = this.fail[f] as number;
          const target = this.child(f, key);
          fallback = target >= 0 && target !== next ? target : 0;
        }
        this.fail[next] = fallback;
        this.dict[next] =
          (this.outHead[fallback] as number) >= 0 ? fallback : (this.dict[fallback] as number);
        queue.push(next);
      }
    }
  }
}

/** The text being matched, as bytes when it is plain ASCII; reused: matching is synchronous. */
const ascii = new AsciiBlocks();

/** Which of the 32 characters of block `block` are ASCII letters or digits, as bits (bit k = character k). */
function alphanumericBits(quads: Int32Array, block: number): number {
  let bits = 0;
  for (let q = block * 8 + 7; q >= block * 8; q--) {
    const quad = quads[q] as number;
    const small = (quad + 0x1f1f1f1f) & ~(quad + 0x05050505); // 'a' to 'z'
    const capital = (quad + 0x3f3f3f3f) & ~(quad + 0x25252525); // 'A' to 'Z'
    const digit = (quad + 0x50505050) & ~(quad + 0x46464646); // '0' to '9'
    // Bit 7 of each byte gathered into 4 bits, first character lowest (no two partial products overlap).
    bits = (bits << 4) | ((Math.imul(((small | capital | digit) & 0x80808080) >>> 7, 0x204081) >>> 21) & 15);
  }
  return bits;
}

/** The ASCII character standing for `code` in the block scans: 'a' for a word character, a space, or '#' for a token of its own. */
function standIn(code: number): number {
  if (code < 128) return code;
  const cls = classify(code);
  return cls === WORD ? 97 : cls === SEPARATOR ? 32 : 35;
}

/** 1 for an ASCII letter or digit, 0 for any other byte. */
const wordBit = (byte: number): number => (charClasses[byte & 127] === WORD && byte < 128 ? 1 : 0);

/** 14 bits of a word's shape: 5 of its first character, 5 of its last, 4 of its length. */
const shapeOf = (first: number, last: number, length: number): number =>
  ((first & 31) << 9) | ((last & 31) << 4) | (length > 15 ? 15 : length);

const emptyMatcher: KeywordMatcher = Object.freeze({ size: 0, findAll: () => [] });

/** Compiles phrases (folded like lead text; empty ones ignored; duplicates keep the first id). */
export function compileKeywords(phrases: readonly { phrase: string; id?: string }[]): KeywordMatcher {
  const automaton = new Automaton();
  const list: Phrase[] = [];
  const seen = new Set<string>();
  for (const { phrase, id } of phrases) {
    if (typeof phrase !== 'string') continue;
    const folded = foldText(phrase);
    const count = tokenize(folded);
    if (count === 0) continue;
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) tokens.push(folded.slice(starts[i], ends[i]));
    const key = tokens.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    let node = 0;
    for (let i = 0; i < count; i++) node = automaton.addChild(node, hashes[i] as number);
    automaton.phraseNext.push(automaton.outHead[node] as number);
    automaton.outHead[node] = list.length;
    list.push({ phrase: phrase.trim(), id, tokens });
  }
  releaseLargeBuffers();
  if (list.length === 0) return emptyMatcher;
  automaton.link();
  const { fail, dict, phraseNext } = automaton;
  const outHead = Int32Array.from(automaton.outHead);

  // All edges in one open-addressing table keyed by (node, token hash): no map lookups while searching.
  let edges = 0;
  for (let node = 0; node < automaton.edgeKey.length; node++)
    for (const _ of automaton.children(node)) edges += 1;
  let bits = 10;
  while (1 << bits < edges * 2) bits += 1;
  const shift = 32 - bits;
  const slotMask = (1 << bits) - 1;
  const tableNode = new Int32Array(1 << bits).fill(-1);
  const tableKey = new Int32Array(1 << bits);
  const tableChild = new Int32Array(1 << bits);
  const slotOf = (node: number, key: number) =>
    Math.imul(key ^ Math.imul(node, 0x9e3779b1), 0x85ebca6b) >>> shift;
  for (let node = 0; node < automaton.edgeKey.length; node++) {
    for (const [key, next] of automaton.children(node)) {
      let slot = slotOf(node, key);
      while (tableNode[slot] !== -1) slot = (slot + 1) & slotMask;
      tableNode[slot] = node;
      tableKey[slot] = key;
      tableChild[slot] = next;
    }
  }
  // Most tokens start no phrase: a bit per low 16 hash bits answers that without probing. Bits, not
  // bytes: 8 KB stay in the processor's first-level cache, where a 64 KB byte table missed it on most words.
  const rootFilter = new Int32Array(1 << 11);
  for (const [key] of automaton.children(0)) {
    const word = (key & 0xffff) >>> 5;
    rootFilter[word] = (rootFilter[word] as number) | (1 << (key & 31));
  }
  /** Whether some phrase starts with a token of this hash (or one sharing its low 16 bits). */
  const mayStartPhrase = (key: number): boolean =>
    (((rootFilter[(key & 0xffff) >>> 5] as number) >>> (key & 31)) & 1) === 1;
  const child = (node: number, key: number): number => {
    if (node === 0 && !mayStartPhrase(key)) return -1;
    for (let slot = slotOf(node, key); ; slot = (slot + 1) & slotMask) {
      const owner = tableNode[slot] as number;
      if (owner === -1) return -1;
      if (owner === node && tableKey[slot] === key) return tableChild[slot] as number;
    }
  };

  // What lets a scan of ASCII text skip straight from one plausible phrase start to the next: the
  // shapes of every phrase's first token, and no phrase starting with an ASCII punctuation token.
  // Text beyond ASCII is scanned through stand-ins: its words' shapes are taken with them too.
  const shapeFilter = new Int32Array(1 << 9);
  const addShape = (shape: number) => {
    shapeFilter[shape >>> 5] = (shapeFilter[shape >>> 5] as number) | (1 << (shape & 31));
  };
  /** Whether text beyond ASCII can be skipped word by word too: no phrase starts with a token of one character. */
  let canSkipWide = true;
  for (const entry of list) {
    const token = entry.tokens[0] as string;
    const first = token.charCodeAt(0);
    const last = token.charCodeAt(token.length - 1);
    addShape(shapeOf(first, last, token.length));
    addShape(shapeOf(standIn(first), standIn(last), token.length));
    if (classify(first) !== WORD) canSkipWide = false;
  }
  let canSkip = true;
  for (let code = 0; code < 128; code++)
    if (charClasses[code] === SINGLE && child(0, Math.imul(FNV_OFFSET ^ code, FNV_PRIME) & HASH_MASK) >= 0)
      canSkip = false;

  let maxTokens = 1;
  for (const entry of list) maxTokens = Math.max(maxTokens, entry.tokens.length);
  const hasOutput = new Uint8Array(outHead.length);
  for (let node = 1; node < outHead.length; node++)
    hasOutput[node] = (outHead[node] as number) >= 0 || (dict[node] as number) > 0 ? 1 : 0;
  // The last tokens' positions, enough to verify the longest phrase: searching writes nothing else.
  let ringSize = 1;
  while (ringSize < maxTokens) ringSize *= 2;
  const ringMask = ringSize - 1;
  const ringStarts = new Int32Array(ringSize);
  const ringEnds = new Int32Array(ringSize);

  const advance = (from: number, key: number): number => {
    let node = from;
    let next = child(node, key);
    while (next < 0 && node !== 0) {
      node = fail[node] as number;
      next = child(node, key);
    }
    return next < 0 ? 0 : next;
  };

  const verifyRing = (text: string, tokens: readonly string[], first: number): boolean => {
    for (let t = 0; t < tokens.length; t++) {
      const token = tokens[t] as string;
      const start = ringStarts[(first + t) & ringMask] as number;
      if (
        (ringEnds[(first + t) & ringMask] as number) - start !== token.length ||
        !text.startsWith(token, start)
      )
        return false;
    }
    return true;
  };

  /** Records the phrases ending at `node` with token `last`; true once `limit` hits are in. */
  const collect = (
    text: string,
    node: number,
    last: number,
    hits: KeywordHit[],
    seen: Set<number>,
    limit: number,
  ): boolean => {
    for (
      let out = (outHead[node] as number) >= 0 ? node : (dict[node] as number);
      out > 0;
      out = dict[out] as number
    ) {
      for (let p = outHead[out] as number; p >= 0; p = phraseNext[p] as number) {
        const entry = list[p] as Phrase;
        const first = last - entry.tokens.length + 1;
        if (seen.has(p) || !verifyRing(text, entry.tokens, first)) continue;
        seen.add(p);
        const index = ringStarts[first & ringMask] as number;
        hits.push(
          entry.id === undefined
            ? { phrase: entry.phrase, index }
            : { phrase: entry.phrase, id: entry.id, index },
        );
        if (hits.length >= limit) return true;
      }
    }
    return false;
  };

  /**
   * In ASCII text loaded into `ascii`, from `from` (never inside a word), the start of the next word
   * whose shape some phrase's first token has, or `length` when there is none. Four characters per
   * read and a branch per word boundary, instead of a hard-to-predict branch at every word's end.
   */
  const nextCandidate = (from: number, length: number): number => {
    const { bytes, quads } = ascii;
    const blocks = (length >>> 5) + 1;
    let block = from >>> 5;
    let bits = alphanumericBits(quads, block);
    // Boundaries below `from` are masked off; one at `from` needs the character before it.
    let carry = from > 0 && (from & 31) === 0 ? wordBit(bytes[from - 1] as number) : 0;
    let edges = (bits ^ ((bits << 1) | carry)) & (-1 << (from & 31));
    let start = -1;
    for (;;) {
      while (edges !== 0) {
        const edge = edges & -edges;
        edges ^= edge;
        const at = (block << 5) | (31 - Math.clz32(edge));
        if ((bits & edge) !== 0) start = at;
        else if (start >= 0) {
          const shape = shapeOf(bytes[start] as number, bytes[at - 1] as number, at - start);
          if ((((shapeFilter[shape >>> 5] as number) >>> (shape & 31)) & 1) === 1) return start;
        }
      }
      if (++block >= blocks) return length;
      carry = bits >>> 31;
      bits = alphanumericBits(quads, block);
      edges = bits ^ ((bits << 1) | carry);
    }
  };

  // Tokenizes and walks the automaton in the same loop (see tokenize for the token rules). At the
  // root, a token that starts no phrase leaves the state at the root: the filters answer that, and
  // its position is never read back (no match can contain it), so it is not even numbered. In ASCII
  // text, while at the root, the scan jumps from one word that may start a phrase to the next.
  const findAll = (text: string, limit = Number.POSITIVE_INFINITY, isAscii = false): KeywordHit[] => {
    const hits: KeywordHit[] = [];
    if (limit <= 0) return hits;
    let seen: Set<number> | undefined;
    const classes = charClasses;
    const length = text.length;
    // Plain ASCII is scanned as it is; other text through stand-ins, where no phrase starts with a lone character.
    const skip =
      canSkip && (ascii.load(text, length, isAscii) || (canSkipWide && ascii.loadStandIns(text, standIn)));
    let node = 0;
    let tokenCount = 0;
    let i = 0;
    while (i < length) {
      if (node === 0 && skip) {
        i = nextCandidate(i, length);
        if (i >= length) break;
      }
      let code = text.charCodeAt(i);
      let cls = code < 128 ? (classes[code] as number) : classify(code);
      if (cls === WORD) {
        const start = i;
        let hash = FNV_OFFSET;
        do {
          hash = Math.imul(hash ^ code, FNV_PRIME);
          // A virtual space after the text closes the last word.
          code = ++i < length ? text.charCodeAt(i) : 32;
          cls = code < 128 ? (classes[code] as number) : classify(code);
        } while (cls === WORD);
        const key = hash & HASH_MASK;
        if (node !== 0 || mayStartPhrase(key)) {
          ringStarts[tokenCount & ringMask] = start;
          ringEnds[tokenCount & ringMask] = i;
          node = advance(node, key);
          if (hasOutput[node] === 1 && collect(text, node, tokenCount, hits, (seen ??= new Set()), limit))
            break;
          tokenCount += 1;
        }
        // The character that ended the word is read again as the next token or separator.
        continue;
      }
      if (cls === SINGLE) {
        const key = Math.imul(FNV_OFFSET ^ code, FNV_PRIME) & HASH_MASK;
        if (node !== 0 || mayStartPhrase(key)) {
          ringStarts[tokenCount & ringMask] = i;
          ringEnds[tokenCount & ringMask] = i + 1;
          node = advance(node, key);
          if (hasOutput[node] === 1 && collect(text, node, tokenCount, hits, (seen ??= new Set()), limit))
            break;
          tokenCount += 1;
        }
      }
      i += 1;
    }
    if (skip) ascii.shrink();
    return hits;
  };
  return Object.freeze({ size: list.length, findAll });
}
