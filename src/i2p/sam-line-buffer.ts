/**
 * A capped, line-oriented byte buffer for the SAM v3 control protocol (sans-IO).
 *
 * SAM replies are single `\n`-terminated lines, but TCP delivers bytes in arbitrary chunks: one reply may arrive
 * in several chunks and one chunk may hold several replies, or a reply followed by the first bytes of a stream's
 * payload (after `STREAM STATUS RESULT=OK` the same connection carries the stream). This buffer therefore hands
 * out one complete line at a time and gives back everything after it untouched.
 *
 * @module
 */
import { SamLineTooLongError } from './errors.js';

/** The default cap on one reply line: a SESSION STATUS carrying a large private key is ~1-2 KB. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/** Accumulates bytes and yields complete lines without ever holding more than the cap of a partial line. */
export class SamLineBuffer {
  readonly #maxLineBytes: number;
  #chunks: Uint8Array[] = [];
  #length = 0;
  readonly #decoder = new TextDecoder('utf-8');

  constructor(maxLineBytes = DEFAULT_MAX_LINE_BYTES) {
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    this.#maxLineBytes = maxLineBytes;
  }

  /** Bytes currently held (a partial line and anything after it). */
  get length(): number {
    return this.#length;
  }

  /** Appends a chunk. Throws {@link SamLineTooLongError} once more than the cap is held without a newline. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
    if (this.#length > this.#maxLineBytes && this.#indexOfLf() < 0) {
      throw new SamLineTooLongError(this.#maxLineBytes);
    }
  }

  /**
   * Removes and returns the next complete line (without `\n` or a trailing `\r`), or `undefined` when no
   * newline has arrived yet. A complete line longer than the cap also throws {@link SamLineTooLongError}.
   */
  takeLine(): string | undefined {
    const lf = this.#indexOfLf();
    if (lf < 0) return undefined;
    if (lf > this.#maxLineBytes) throw new SamLineTooLongError(this.#maxLineBytes);
    const bytes = this.#flatten();
    let end = lf;
    if (end > 0 && bytes[end - 1] === CR) end -= 1;
    const line = this.#decoder.decode(bytes.subarray(0, end));
    const rest = bytes.subarray(lf + 1);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#length = rest.length;
    return line;
  }

  /** Removes and returns every byte held (the start of a stream's payload once the replies are read). */
  takeRest(): Uint8Array {
    const bytes = this.#flatten();
    this.#chunks = [];
    this.#length = 0;
    return bytes;
  }

  #indexOfLf(): number {
    let offset = 0;
    for (const chunk of this.#chunks) {
      const i = chunk.indexOf(LF);
      if (i >= 0) return offset + i;
      offset += chunk.length;
    }
    return -1;
  }

  #flatten(): Uint8Array {
    if (this.#chunks.length === 1) return this.#chunks[0]!;
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.#chunks = this.#length > 0 ? [out] : [];
    return out;
  }
}
