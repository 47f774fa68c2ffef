/**
 * Where the encoder writes each share: an abstract sink, so the same encoder feeds memory, a local disk or an
 * HTTP storage server (Tahoe's `IStorageBucketWriter`).
 *
 * @module
 */
import type { AbortOptions } from '../../util/abort.js';

/** Receives one share's bytes. Writes arrive in increasing offset order without gaps, starting at 0. */
export interface ShareSink {
  /**
   * Writes `data` at byte `offset` of the share. The encoder waits for it (backpressure) and may reuse `data`'s
   * memory once the returned promise settles: a sink that keeps the bytes longer must copy them.
   */
  write(offset: number, data: Uint8Array, options?: AbortOptions): Promise<void>;
  /** Called once after the last write: the share is complete. */
  close(options?: AbortOptions): Promise<void>;
  /** Called instead of `close` when encoding fails; the partial share should be discarded. */
  abort?(reason: unknown): Promise<void> | void;
}

/** A sink that assembles a share in a preallocated buffer (for tests and small files). */
export class MemoryShareSink implements ShareSink {
  readonly bytes: Uint8Array;
  #written = 0;
  #closed = false;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (offset !== this.#written) throw new RangeError(`share write at ${offset}, expected ${this.#written}`);
    if (offset + data.length > this.bytes.length) {
      throw new RangeError(
        `share write of ${data.length} bytes at ${offset} overruns the ${this.bytes.length}-byte share`,
      );
    }
    this.bytes.set(data, offset);
    this.#written += data.length;
  }

  async close(): Promise<void> {
    if (this.#written !== this.bytes.length) {
      throw new RangeError(`share closed after ${this.#written} of ${this.bytes.length} bytes`);
    }
    this.#closed = true;
  }

  /** True once closed with every byte written. */
  get complete(): boolean {
    return this.#closed;
  }
}
