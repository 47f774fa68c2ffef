/**
 * A {@link ShareReader} over a share on a storage server, with read-ahead: the decoder asks for one block at a
 * time, but each request fetches at least `readAhead` bytes, so sequential reads of a large file take few
 * round trips (which matters most over Tor, where each one costs hundreds of milliseconds).
 *
 * @module
 */

import type { AbortOptions } from '../../util/abort.js';
import type { ShareReader } from '../chk/share-reader.js';
import type { StorageApi } from './grid.js';

/** Default bytes fetched per request. */
export const DEFAULT_READ_AHEAD = 2 * 1024 * 1024;

/** Reads one immutable share from one server. */
export class RemoteShareReader implements ShareReader {
  #window: Uint8Array = new Uint8Array(0);
  #windowStart = 0;
  /** True once a read returned less than asked: the share ends at the window's end. */
  #atEnd = false;

  constructor(
    private readonly api: StorageApi,
    private readonly storageIndex: Uint8Array,
    private readonly shareNumber: number,
    private readonly readAhead = DEFAULT_READ_AHEAD,
    private readonly requestTimeoutMs = 60_000,
    private readonly onBytes?: (bytes: number) => void,
  ) {}

  async read(offset: number, length: number, options: AbortOptions = {}): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`bad share read: offset ${offset}, length ${length}`);
    }
    const windowEnd = this.#windowStart + this.#window.length;
    if (
      offset >= this.#windowStart &&
      (offset + length <= windowEnd || (this.#atEnd && offset <= windowEnd))
    ) {
      return this.#window.subarray(
        offset - this.#windowStart,
        Math.min(offset + length, windowEnd) - this.#windowStart,
      );
    }
    const want = Math.max(length, this.readAhead);
    const data = await this.api.readImmutableShare(this.storageIndex, this.shareNumber, offset, want, {
      signal: options.signal,
      timeoutMs: this.requestTimeoutMs,
    });
    this.onBytes?.(data.length);
    this.#window = data;
    this.#windowStart = offset;
    this.#atEnd = data.length < want;
    return data.subarray(0, Math.min(length, data.length));
  }
}
