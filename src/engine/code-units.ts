// A reusable copy of a text's UTF-16 code units, for the character scans of checks and matchers.

/**
 * Scans read `units[i]` instead of `text.charCodeAt(i)`: V8 compiles `charCodeAt` to a dispatch on
 * the string's representation (one- or two-byte, flat, sliced, cons, thin), and lead text arrives in
 * all of them, so in the engine's hot loop it measured slower than one native copy plus typed-array
 * reads. Each scanner owns its buffer: a scan must not call another scan on the same buffer.
 */
export class CodeUnits {
  #units = new Uint16Array(1024);
  #bytes = Buffer.from(this.#units.buffer);

  /** The first `count` (at most `text.length`) code units of `text`; valid until the next `load`. */
  load(text: string, count: number = text.length): Uint16Array {
    const length = Math.min(count, text.length);
    if (this.#units.length < length) {
      this.#units = new Uint16Array(length * 2);
      this.#bytes = Buffer.from(this.#units.buffer);
    }
    this.#bytes.write(length < text.length ? text.slice(0, length) : text, 0, length * 2, 'utf16le');
    return this.#units;
  }

  /** A huge text should not pin megabytes for the life of the process. */
  shrink(): void {
    if (this.#units.length <= 1 << 16) return;
    this.#units = new Uint16Array(1024);
    this.#bytes = Buffer.from(this.#units.buffer);
  }
}
