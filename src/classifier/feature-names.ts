// Readable names of hashed features, kept as spans of the lead's text and built only when an explanation reads them.

/**
 * Readable names of features, recorded as spans of the text and built only when read: an
 * explanation needs five names, not the few hundred a message has.
 */
export class FeatureNames {
  readonly hashes: number[] = [];
  /** Index into `#sources` of each name's text, or of its fixed label. */
  readonly #source: number[] = [];
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  readonly #sources: { text: string; prefix: string }[] = [];
  #lastText: string | undefined;
  #lastPrefix: string | undefined;

  /** A fixed label (`start` = -1) or the span `text[start, end)` after `prefix`. */
  record(hash: number, text: string, start = -1, end = -1, prefix = ''): void {
    // Spans of one text share one source entry: a message's hundreds of words cost three pushes each.
    if (start < 0 || text !== this.#lastText || prefix !== this.#lastPrefix) {
      this.#sources.push({ text, prefix });
      this.#lastText = start < 0 ? undefined : text;
      this.#lastPrefix = prefix;
    }
    this.hashes.push(hash);
    this.#source.push(this.#sources.length - 1);
    this.#starts.push(start);
    this.#ends.push(end);
  }

  nameAt(index: number): string {
    const source = this.#sources[this.#source[index] ?? -1];
    if (!source) return '';
    const start = this.#starts[index] ?? -1;
    if (start < 0) return source.text;
    const span = source.text.slice(start, this.#ends[index]).toLowerCase();
    return `${source.prefix}${span.replace(/[^\p{L}\p{N}]+/gu, ' ').trim()}`;
  }

  toMap(): Map<number, string> {
    const map = new Map<number, string>();
    this.hashes.forEach((hash, i) => {
      if (!map.has(hash)) map.set(hash, this.nameAt(i));
    });
    return map;
  }

  values(): IterableIterator<string> {
    return this.toMap().values();
  }
}
