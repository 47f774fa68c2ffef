/**
 * Recycles the fixed-size chunk buffers of an upload, so a long transfer allocates about as many buffers as
 * are ever live at once (the sinks' partly filled chunks plus the chunks in flight) instead of one per request
 * left for the garbage collector, which keeps the resident set near the live data.
 *
 * @module
 */

/** A bounded free list of equal-sized buffers. */
export class ChunkPool {
  readonly chunkSize: number;
  readonly #maxKept: number;
  readonly #free: Uint8Array[] = [];

  /** Keeps at most `maxKept` returned buffers; more are dropped for the garbage collector. */
  constructor(chunkSize: number, maxKept: number) {
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
      throw new RangeError(`chunk size must be a positive integer, got ${chunkSize}`);
    }
    if (!Number.isSafeInteger(maxKept) || maxKept < 0) {
      throw new RangeError(`maxKept must be a non-negative integer, got ${maxKept}`);
    }
    this.chunkSize = chunkSize;
    this.#maxKept = maxKept;
  }

  /** A buffer of `chunkSize` bytes, recycled when one is free (its old contents are not cleared). */
  take(): Uint8Array {
    return this.#free.pop() ?? new Uint8Array(this.chunkSize);
  }

  /** Returns a buffer obtained from {@link take}; the caller must not use it afterwards. */
  give(buffer: Uint8Array): void {
    if (buffer.length === this.chunkSize && this.#free.length < this.#maxKept) this.#free.push(buffer);
  }

  /** Buffers waiting for reuse. */
  get free(): number {
    return this.#free.length;
  }
}
