/**
 * A {@link ShareReader} over a share on a storage server, with read-ahead: the decoder asks for one block at a
 * time, but each request fetches at least `readAhead` bytes, so sequential reads of a large file take few
 * round trips (which matters most over Tor, where each one costs hundreds of milliseconds).
 *
 * A window holds a whole number of reads of the size that missed (the decoder reads one block at a time, so
 * windows hold whole blocks: as many as fit in `readAhead`, at least one). A window cut at another size would
 * leave each next block straddling two windows, and every read would miss and fetch again.
 *
 * Reads are double-buffered: when a read continues where the previous one ended, or lands in the current
 * window (the signs of a sequential scan), the window after it is requested in the background, so the next
 * request is usually answered before the decoder needs it. The reader therefore holds at most two windows
 * (`2 * readAhead` bytes, or two reads when one is larger); the bytes of requests not yet answered are also
 * reserved from the given {@link InFlightLimit}s (per server, overall).
 *
 * @module
 */

import type { AbortOptions } from '../../util/abort.js';
import type { ShareReader } from '../chk/share-reader.js';
import type { StorageApi } from './grid.js';
import { acquireAll, type InFlightLimit, releaseAll } from './in-flight-limit.js';

/**
 * Default bytes fetched per request: 512 KiB, so one 341 KiB block of a 1 MiB segment at k=3 per request (windows
 * hold whole blocks). Larger windows were no faster on a 1 GiB grid download and raised the client's peak RSS
 * (1 MiB: 121 MiB, 2 MiB: 157 MiB, against 94 MiB; docs/performance.md).
 */
export const DEFAULT_READ_AHEAD = 512 * 1024;

interface Window {
  start: number;
  /** Bytes asked for (the next window in a sequential scan asks for as many). */
  requested: number;
  data: Uint8Array;
  /** True when the server returned less than asked: the share ends at this window's end. */
  atEnd: boolean;
  /**
   * The reader's own buffer `data` was read into, reused once this window is dropped; undefined when the
   * bytes landed elsewhere or `read()` has handed out a view of them.
   */
  own: Uint8Array | undefined;
}

interface Prefetch {
  start: number;
  length: number;
  /** Settles with the window, or undefined when the background request failed (the read then retries). */
  window: Promise<Window | undefined>;
}

/** Options of {@link RemoteShareReader} beyond the share's address. */
export interface RemoteShareReaderOptions {
  /** Bytes per request (default {@link DEFAULT_READ_AHEAD}). */
  readAhead?: number | undefined;
  /** Per-request timeout (default 60 s). */
  requestTimeoutMs?: number | undefined;
  /** Told the byte count of every reply. */
  onBytes?: ((bytes: number) => void) | undefined;
  /** Limits on bytes requested and not yet received, reserved in this order (e.g. server, then overall). */
  limits?: readonly InFlightLimit[] | undefined;
  /** Fetch the next window in the background during sequential reads (default true). */
  prefetch?: boolean | undefined;
  /** Cancels background requests (a read's own signal covers only that read). */
  signal?: AbortSignal | undefined;
}

/** Reads one immutable share from one server. */
export class RemoteShareReader implements ShareReader {
  readonly #api: StorageApi;
  readonly #storageIndex: Uint8Array;
  readonly #shareNumber: number;
  readonly #readAhead: number;
  readonly #options: RemoteShareReaderOptions;
  #window: Window = { start: 0, requested: 0, data: new Uint8Array(0), atEnd: false, own: undefined };
  /** Window buffers to reuse (with `readInto` the windows stay private, so a download allocates none per request). */
  readonly #spare: Uint8Array[] = [];
  #prefetch: Prefetch | undefined;
  /** Where the previous read ended, to recognise a sequential scan. */
  #lastEnd = -1;

  /**
   * `readAheadOrOptions` may be the read-ahead in bytes, followed by the request timeout and a byte counter
   * (the original signature), or a {@link RemoteShareReaderOptions}.
   */
  constructor(
    api: StorageApi,
    storageIndex: Uint8Array,
    shareNumber: number,
    readAheadOrOptions: number | RemoteShareReaderOptions = {},
    requestTimeoutMs?: number,
    onBytes?: (bytes: number) => void,
  ) {
    const options: RemoteShareReaderOptions =
      typeof readAheadOrOptions === 'number'
        ? { readAhead: readAheadOrOptions, requestTimeoutMs, onBytes }
        : readAheadOrOptions;
    const readAhead = options.readAhead ?? DEFAULT_READ_AHEAD;
    if (!Number.isSafeInteger(readAhead) || readAhead < 1) {
      throw new RangeError(`readAhead must be a positive integer, got ${readAhead}`);
    }
    this.#api = api;
    this.#storageIndex = storageIndex;
    this.#shareNumber = shareNumber;
    this.#readAhead = readAhead;
    this.#options = options;
  }

  async read(offset: number, length: number, options: AbortOptions = {}): Promise<Uint8Array> {
    const { window, data } = await this.#locate(offset, length, options);
    // The caller keeps a view of the window: its buffer can no longer be reused.
    window.own = undefined;
    return data;
  }

  /** Copies the bytes into `target`, so the window they came from stays private and its buffer is reused. */
  async readInto(offset: number, target: Uint8Array, options: AbortOptions = {}): Promise<number> {
    const { data } = await this.#locate(offset, target.length, options);
    target.set(data);
    return data.length;
  }

  /** The window holding `[offset, offset + length)` (fetched if need be) and the bytes in it. */
  async #locate(
    offset: number,
    length: number,
    options: AbortOptions,
  ): Promise<{ window: Window; data: Uint8Array }> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`bad share read: offset ${offset}, length ${length}`);
    }
    const sequential = offset === this.#lastEnd;
    this.#lastEnd = offset + length;
    const hit = this.#fromWindow(this.#window, offset, length);
    if (hit) {
      this.#startPrefetch();
      return { window: this.#window, data: hit };
    }
    const ahead = this.#prefetch;
    if (ahead && offset >= ahead.start && offset < ahead.start + ahead.length) {
      this.#prefetch = undefined;
      const window = await ahead.window;
      if (window) {
        this.#setWindow(window);
        const data = this.#fromWindow(window, offset, length);
        if (data) {
          this.#startPrefetch();
          return { window, data };
        }
      }
    }
    const want =
      length >= this.#readAhead ? length : length * Math.floor(this.#readAhead / Math.max(length, 1));
    const window = await this.#fetch(offset, want, options.signal);
    this.#setWindow(window);
    if (sequential) this.#startPrefetch();
    return { window, data: window.data.subarray(0, Math.min(length, window.data.length)) };
  }

  /** Makes `window` the current one; the one it replaces gives its buffer back when that is still private. */
  #setWindow(window: Window): void {
    const old = this.#window;
    this.#window = window;
    if (old !== window && old.own) this.#giveBack(old.own);
  }

  #giveBack(buffer: Uint8Array): void {
    if (this.#spare.length < 2) this.#spare.push(buffer);
  }

  /** The bytes `[offset, offset + length)` when `window` holds them (or holds the share's end). */
  #fromWindow(window: Window, offset: number, length: number): Uint8Array | undefined {
    const end = window.start + window.data.length;
    if (offset < window.start || (offset + length > end && !(window.atEnd && offset <= end)))
      return undefined;
    return window.data.subarray(offset - window.start, Math.min(offset + length, end) - window.start);
  }

  /** Requests the window after the current one in the background, unless the share ends or one is pending. */
  #startPrefetch(): void {
    const current = this.#window;
    if (this.#options.prefetch === false || current.atEnd || current.data.length === 0) return;
    const start = current.start + current.data.length;
    if (this.#prefetch?.start === start) return;
    const window = this.#fetch(start, current.requested, this.#options.signal).catch(() => undefined);
    this.#prefetch = { start, length: current.requested, window };
  }

  async #fetch(offset: number, want: number, signal: AbortSignal | undefined): Promise<Window> {
    const limits = this.#options.limits ?? [];
    await acquireAll(limits, want, { signal });
    const index = this.#spare.findIndex((b) => b.length >= want);
    const spare = index >= 0 ? (this.#spare.splice(index, 1)[0] as Uint8Array) : new Uint8Array(want);
    try {
      const data = await this.#api.readImmutableShare(this.#storageIndex, this.#shareNumber, offset, want, {
        signal,
        timeoutMs: this.#options.requestTimeoutMs ?? 60_000,
        into: spare,
      });
      this.#options.onBytes?.(data.length);
      const landed = data.buffer === spare.buffer && data.byteOffset === spare.byteOffset;
      if (!landed) this.#giveBack(spare);
      return {
        start: offset,
        requested: want,
        data,
        atEnd: data.length < want,
        own: landed ? spare : undefined,
      };
    } finally {
      releaseAll(limits, want);
    }
  }
}
