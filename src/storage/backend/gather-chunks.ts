/**
 * Gathers the small chunks of a request body (the HTTP layer delivers 16-64 KiB at a time) into pieces of up to
 * `gatherSize` bytes, so an upload's PATCH body becomes a few large positional writes instead of one per chunk
 * (http-storage-node-protocol.rst, "Writing": a PATCH body is one byte range of a share).
 *
 * @module
 */
import { WriteLengthMismatchError } from './errors.js';

/** A contiguous piece of the body and where it starts, relative to the start of the body. */
export interface GatheredPiece {
  /** Offset of `data` from the start of the body. */
  offset: number;
  /** The bytes; valid only until the next piece is requested (the buffer is reused). */
  data: Uint8Array;
}

/** Where the gathering buffer comes from: a shared memory bound can refuse one (then nothing is gathered). */
export interface GatherMemory {
  /** Reserves `n` bytes; false when the bound would be exceeded. */
  tryTake(n: number): boolean;
  /** Returns bytes reserved by {@link tryTake}. */
  give(n: number): void;
}

/** A {@link GatherMemory} that counts reserved bytes against a fixed limit. */
export class GatherBudget implements GatherMemory {
  #used = 0;

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 0)
      throw new RangeError(`gather memory limit must be a non-negative integer, got ${limit}`);
  }

  /** Reserves `n` bytes; false when they do not fit under the limit. */
  tryTake(n: number): boolean {
    if (this.#used + n > this.limit) return false;
    this.#used += n;
    return true;
  }

  /** Returns `n` reserved bytes. */
  give(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }

  /** Bytes currently reserved. */
  get inUse(): number {
    return this.#used;
  }
}

/** Default size of a gathered write. */
export const DEFAULT_GATHER_SIZE = 1024 * 1024;
/** Default bound on all gathering buffers of a backend together. */
export const DEFAULT_GATHER_MEMORY = 64 * 1024 * 1024;

/**
 * Yields the body `chunks` as pieces of at most `gatherSize` bytes (a larger chunk passes through whole and
 * uncopied), checking that the body carries exactly `expected` bytes ({@link WriteLengthMismatchError}).
 *
 * The bytes received before a failure (a body longer than announced, or a body stream that errors, e.g. a
 * client that went away) are still yielded before the error is thrown, as when every chunk was written on
 * arrival. One buffer of at most `min(gatherSize, expected)` bytes is used, reserved from `memory` if given
 * and returned when the generator finishes; without the reservation each chunk is yielded as it comes.
 */
export async function* gatherChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  expected: number,
  gatherSize: number = DEFAULT_GATHER_SIZE,
  memory?: GatherMemory,
): AsyncGenerator<GatheredPiece, void, undefined> {
  if (!Number.isSafeInteger(gatherSize) || gatherSize < 1)
    throw new RangeError(`gather size must be a positive integer, got ${gatherSize}`);
  const size = Math.min(gatherSize, expected);
  const reserved = size > 1 && (memory === undefined || memory.tryTake(size)) ? size : 0;
  let buffer: Uint8Array | undefined;
  let pending = 0;
  let received = 0;
  try {
    let failed = false;
    let failure: unknown;
    try {
      for await (const chunk of chunks) {
        if (received + chunk.length > expected) {
          failed = true;
          failure = new WriteLengthMismatchError(expected, received + chunk.length);
          break;
        }
        if (pending > 0 && pending + chunk.length > reserved) {
          yield { offset: received - pending, data: buffer!.subarray(0, pending) };
          pending = 0;
        }
        if (chunk.length >= reserved) {
          // Big enough on its own (or nothing to gather into): write it as it is, without a copy.
          if (chunk.length > 0) yield { offset: received, data: chunk };
        } else {
          buffer ??= new Uint8Array(Buffer.allocUnsafeSlow(reserved).buffer, 0, reserved);
          buffer.set(chunk, pending);
          pending += chunk.length;
        }
        received += chunk.length;
      }
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (pending > 0) yield { offset: received - pending, data: buffer!.subarray(0, pending) };
    if (failed) throw failure;
    if (received !== expected) throw new WriteLengthMismatchError(expected, received);
  } finally {
    if (reserved > 0) memory?.give(reserved);
  }
}
