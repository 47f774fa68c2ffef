/**
 * Random-access readers over share bytes, the decoder's only view of a share, so the same decoder runs over
 * memory, a local file or an HTTP storage server (Tahoe's `IStorageBucketReader` `read(offset, length)`).
 *
 * @module
 */
import type { AbortOptions } from '../../util/abort.js';

/** Reads byte ranges of one share's data. */
export interface ShareReader {
  /**
   * Returns `length` bytes starting at `offset`, or fewer only when the share ends sooner (as Tahoe's storage
   * servers do). Should honour `options.signal`.
   */
  read(offset: number, length: number, options?: AbortOptions): Promise<Uint8Array>;
  /**
   * Optional: reads up to `target.length` bytes starting at `offset` into `target` and resolves to the count
   * (fewer only when the share ends sooner). The decoder then reads every block into one of two buffers per
   * share that it reuses, instead of receiving a fresh buffer per block: a 1 GiB decode otherwise leaves 1 GiB
   * of dead block buffers for the garbage collector, which shows up in the peak RSS.
   */
  readInto?(offset: number, target: Uint8Array, options?: AbortOptions): Promise<number>;
}

/** A reader over share bytes in memory. */
export function bytesShareReader(bytes: Uint8Array): ShareReader {
  return {
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
        throw new RangeError(`bad share read: offset ${offset}, length ${length}`);
      }
      return bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length));
    },
  };
}

/** Share readers by share number: a map, or an array indexed by share number (holes allowed). */
export type ShareReaders = ReadonlyMap<number, ShareReader> | readonly (ShareReader | undefined)[];

/** Normalises {@link ShareReaders} to a sorted list of `[shareNumber, reader]`, rejecting out-of-range numbers. */
export function shareReaderEntries(readers: ShareReaders, total: number): [number, ShareReader][] {
  const entries: [number, ShareReader | undefined][] =
    readers instanceof Map
      ? [...readers.entries()]
      : [...(readers as readonly (ShareReader | undefined)[]).entries()];
  const out: [number, ShareReader][] = [];
  for (const [n, reader] of entries) {
    if (reader === undefined) continue;
    if (!Number.isInteger(n) || n < 0 || n >= total) {
      throw new RangeError(`share number ${n} is outside 0..${total - 1} for this file`);
    }
    out.push([n, reader]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
