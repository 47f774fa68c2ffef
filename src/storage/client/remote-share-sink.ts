/**
 * A {@link ShareSink} that uploads one share to a storage server in large `PATCH` requests: writes are
 * gathered until `chunkSize` bytes (many segments' worth of blocks), then sent, so a 1 GiB upload is a few
 * hundred requests per share rather than one per block.
 *
 * A failing server must not sink the whole upload while enough other servers succeed, so this sink never
 * throws from `write`/`close`: it records the failure, aborts the upload on the server and drops later writes.
 * The uploader then counts only the shares that completed.
 *
 * @module
 */

import type { AbortOptions } from '../../util/abort.js';
import type { ShareSink } from '../chk/share-sink.js';
import type { StorageApi } from './grid.js';

/** Default bytes gathered per `PATCH`. */
export const DEFAULT_UPLOAD_CHUNK_SIZE = 2 * 1024 * 1024;

/** Where one share goes. */
export interface RemoteShareTarget {
  api: StorageApi;
  storageIndex: Uint8Array;
  shareNumber: number;
  uploadSecret: Uint8Array;
  /** Called with the byte count of every chunk the server accepted. */
  onProgress?: (bytes: number) => void;
  chunkSize?: number;
  /** Per-request timeout. */
  requestTimeoutMs?: number;
}

/** Uploads one share; see the module comment for its failure behaviour. */
export class RemoteShareSink implements ShareSink {
  readonly #target: RemoteShareTarget;
  /** Gathers writes (the encoder reuses its buffers, so data is copied in); reused after each request. */
  readonly #buffer: Uint8Array;
  #filled = 0;
  /** Share offset of `#buffer[0]`. */
  #offset = 0;
  #completed = false;
  #failure: unknown;

  constructor(target: RemoteShareTarget) {
    this.#target = target;
    this.#buffer = new Uint8Array(target.chunkSize ?? DEFAULT_UPLOAD_CHUNK_SIZE);
  }

  /** True when the server reported the share complete. */
  get completed(): boolean {
    return this.#completed;
  }

  /** Why the upload of this share failed, if it did. */
  get failure(): unknown {
    return this.#failure;
  }

  async write(offset: number, data: Uint8Array, options: AbortOptions = {}): Promise<void> {
    if (this.#failure !== undefined) return;
    if (offset !== this.#offset + this.#filled) {
      this.#fail(new RangeError(`share write at ${offset}, expected ${this.#offset + this.#filled}`));
      return;
    }
    let done = 0;
    while (done < data.length && this.#failure === undefined) {
      const n = Math.min(data.length - done, this.#buffer.length - this.#filled);
      this.#buffer.set(data.subarray(done, done + n), this.#filled);
      this.#filled += n;
      done += n;
      if (this.#filled === this.#buffer.length) await this.#flush(options);
    }
  }

  async close(options: AbortOptions = {}): Promise<void> {
    if (this.#failure !== undefined) return;
    await this.#flush(options);
    if (this.#failure === undefined && !this.#completed) {
      this.#fail(new Error('the server did not report the share complete after the last byte'));
    }
  }

  async abort(reason: unknown): Promise<void> {
    if (this.#failure === undefined) this.#fail(reason);
  }

  async #flush(options: AbortOptions): Promise<void> {
    if (this.#filled === 0) return;
    const chunk = this.#buffer.subarray(0, this.#filled);
    const offset = this.#offset;
    const { api, storageIndex, shareNumber, uploadSecret } = this.#target;
    try {
      // The request completes (the server answered) before the buffer is refilled.
      const result = await api.writeShareChunk(storageIndex, shareNumber, uploadSecret, offset, chunk, {
        signal: options.signal,
        timeoutMs: this.#target.requestTimeoutMs,
      });
      this.#target.onProgress?.(chunk.length);
      if (result.complete) this.#completed = true;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      this.#fail(error);
      return;
    } finally {
      this.#offset += this.#filled;
      this.#filled = 0;
    }
  }

  #fail(reason: unknown): void {
    this.#failure = reason ?? new Error('upload aborted');
    this.#filled = 0;
    const { api, storageIndex, shareNumber, uploadSecret } = this.#target;
    // Best effort: tell the server to drop the partial share; its own timeout cleans up otherwise.
    api.abortUpload(storageIndex, shareNumber, uploadSecret, { timeoutMs: 10_000 }).catch(() => undefined);
  }
}
