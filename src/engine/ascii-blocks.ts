// A reusable copy of plain ASCII text as bytes, read four characters at a time, for scans that look for words without a branch per character.
//
// A scan classifies four characters per 32-bit read: bit 7 of a byte of `quad + 0x1f1f1f1f` is set
// when that byte is 'a' (0x61) or above, of `quad + 0x05050505` when it is above 'z' (0x7a), and
// so on; each byte is below 0x80, so adding a constant to the four at once never carries from one
// into the next. Each scanner keeps its own copy of that arithmetic: called from another module
// the function was not inlined, which cost the keyword scan an eighth of its time.

/** A regex finds the characters outside ASCII faster than a loop over every character. */
const NON_ASCII_RUN = /[^\u0000-\u007f]+/g;

/** The byte order the four-characters-per-read scans assume; a big-endian machine takes the plain scans. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * Text copied as bytes and padded with spaces to whole blocks of 32 characters, with at least one
 * space after the text, so a scan sees the end of a last word like any other. Each scanner owns
 * its copy: a scan must not call another scan on the same one.
 */
export class AsciiBlocks {
  /** The bytes, valid until the next `load`; a scan of n characters reads blocks 0 to n >>> 5. */
  bytes = new Uint8Array(4096);
  /** The same bytes four at a time (little-endian: character 4q is the low byte of quads[q]). */
  quads = new Int32Array(this.bytes.buffer);
  #buffer = Buffer.from(this.bytes.buffer);

  /**
   * Copies the first `count` (at most `text.length`) characters of `text` when they are all ASCII;
   * false, and nothing copied, when they are not (or on a big-endian machine). `ascii` says the
   * caller already knows the text is plain ASCII, so it is not measured again.
   */
  load(text: string, count: number = text.length, ascii = false): boolean {
    const length = Math.min(count, text.length);
    const head = length < text.length ? text.slice(0, length) : text;
    // UTF-8 length equals UTF-16 length only for pure ASCII; V8 answers that far faster than a loop.
    if (!LITTLE_ENDIAN || (!ascii && Buffer.byteLength(head, 'utf8') !== length)) return false;
    const size = ((length >>> 5) + 1) << 5;
    if (this.bytes.length < size) this.#allocate(size);
    this.#buffer.write(head, 0, length, 'latin1');
    this.bytes.fill(32, length, size);
    return true;
  }

  /**
   * Copies all of `text`, each character outside ASCII replaced by the ASCII character `standIn`
   * gives for it (a letter for a letter, a space for a space), so the block scans can run over text
   * in any script and look at the real characters only where they stop. Returns whether `quads`
   * may be read (false on a big-endian machine; `bytes` are loaded either way).
   */
  loadStandIns(text: string, standIn: (code: number) => number): boolean {
    const length = text.length;
    const size = ((length >>> 5) + 1) << 5;
    if (this.bytes.length < size) this.#allocate(size);
    // One byte per character; those outside ASCII are overwritten below.
    this.#buffer.write(text, 0, length, 'latin1');
    this.bytes.fill(32, length, size);
    const bytes = this.bytes;
    NON_ASCII_RUN.lastIndex = 0;
    for (let run = NON_ASCII_RUN.exec(text); run; run = NON_ASCII_RUN.exec(text)) {
      for (let i = run.index, end = i + run[0].length; i < end; i++) bytes[i] = standIn(text.charCodeAt(i));
    }
    return LITTLE_ENDIAN;
  }

  /** A huge text should not pin megabytes for the life of the process. */
  shrink(): void {
    if (this.bytes.length > 1 << 16) this.#allocate(4096);
  }

  #allocate(size: number): void {
    this.bytes = new Uint8Array(size);
    this.quads = new Int32Array(this.bytes.buffer);
    this.#buffer = Buffer.from(this.bytes.buffer);
  }
}
