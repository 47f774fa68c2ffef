/**
 * A {@link ShareSink} that uploads one share to a storage server in large `PATCH` requests: writes are
 * gathered until `chunkSize` bytes (many segments' worth of blocks), then sent, so a 1 GiB upload is a few
 * hundred requests per share rather than one per block.
 *
 * Requests are pipelined: a full chunk is handed to the network and `write` returns at once, so the encoder
 * works on the next segments while the server receives this one. What bounds memory is the set of
 * {@link InFlightLimit}s the sink is given (typically one per server and one for the whole upload): a chunk is
 * sent only after its bytes have been reserved from every limit, and they are given back when the server has
 * answered. The sink itself holds one partly filled chunk buffer, plus the chunks in flight.
 *
 * A failing server must not sink the whole upload while enough other servers succeed, so this sink never
 * throws from `write`/`close` (except when the caller's signal aborts): it records the failure, aborts the
 * upload on the server and drops later writes. The uploader then counts only the shares that completed.
 *
 * @module
 */

import { type AbortOptions, throwIfAborted } from '../../util/abort.js';
import type { ShareSink } from '../chk/share-sink.js';
import { ChunkPool } from './chunk-pool.js';
import type { StorageApi } from './grid.js';
import { acquireAll, type InFlightLimit, releaseAll } from './in-flight-limit.js';

/** Default bytes gathered per `PATCH`. */
export const DEFAULT_UPLOAD_CHUNK_SIZE = 1024 * 1024;

/** Largest chunk accepted: Tahoe's and lafs's servers refuse bodies over 64 MiB by default. */
export const MAX_UPLOAD_CHUNK_SIZE = 64 * 1024 * 1024;

/** Where one share goes. */
export interface RemoteShareTarget {
  api: StorageApi;
  storageIndex: Uint8Array;
  shareNumber: number;
  uploadSecret: Uint8Array;
  /** Called with the byte count of every chunk the server accepted. */
  onProgress?: (bytes: number) => void;
  chunkSize?: number | undefined;
  /** Per-request timeout. */
  requestTimeoutMs?: number | undefined;
  /**
   * Limits on bytes sent and not yet answered, shared with other sinks, reserved in this order. Without any,
   * one request at a time is in flight (the chunk being sent), as before pipelining.
   */
  limits?: readonly InFlightLimit[] | undefined;
  /** Where chunk buffers come from and go back to, shared by the sinks of one upload (of `chunkSize` bytes). */
  pool?: ChunkPool | undefined;
}

/** Uploads one share; see the module comment for its pipelining and failure behaviour. */
export class RemoteShareSink implements ShareSink {
  readonly #target: RemoteShareTarget;
  readonly #pool: ChunkPool;
  /** Gathers writes (the encoder reuses its buffers, so data is copied in). */
  #buffer: Uint8Array | undefined;
  #filled = 0;
  /** Share offset of `#buffer[0]`. */
  #offset = 0;
  readonly #pending = new Set<Promise<void>>();
  #completed = false;
  #failure: unknown;

  constructor(target: RemoteShareTarget) {
    const chunkSize = target.chunkSize ?? DEFAULT_UPLOAD_CHUNK_SIZE;
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_UPLOAD_CHUNK_SIZE) {
      throw new RangeError(`chunkSize must be from 1 to ${MAX_UPLOAD_CHUNK_SIZE} bytes, got ${chunkSize}`);
    }
    if (target.pool && target.pool.chunkSize !== chunkSize) {
      throw new RangeError(`the chunk pool holds ${target.pool.chunkSize}-byte chunks, not ${chunkSize}`);
    }
    this.#target = target;
    this.#pool = target.pool ?? new ChunkPool(chunkSize, 1);
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
    throwIfAborted(options.signal, 'the share upload');
    if (this.#failure !== undefined) return;
    if (offset !== this.#offset + this.#filled) {
      this.#fail(new RangeError(`share write at ${offset}, expected ${this.#offset + this.#filled}`));
      return;
    }
    let done = 0;
    while (done < data.length && this.#failure === undefined) {
      const buffer = this.#takeBuffer();
      const n = Math.min(data.length - done, buffer.length - this.#filled);
      buffer.set(data.subarray(done, done + n), this.#filled);
      this.#filled += n;
      done += n;
      if (this.#filled === buffer.length) await this.#dispatch(options);
    }
  }

  async close(options: AbortOptions = {}): Promise<void> {
    throwIfAborted(options.signal, 'the share upload');
    if (this.#failure === undefined) await this.#dispatch(options);
    while (this.#pending.size > 0) await Promise.all(this.#pending);
    throwIfAborted(options.signal, 'the share upload');
    if (this.#failure === undefined && !this.#completed) {
      this.#fail(new Error('the server did not report the share complete after the last byte'));
    }
  }

  async abort(reason: unknown): Promise<void> {
    if (this.#failure === undefined) this.#fail(reason);
    // Let requests already sent settle, so their reservations are given back before the caller moves on.
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  #takeBuffer(): Uint8Array {
    this.#buffer ??= this.#pool.take();
    return this.#buffer;
  }

  /** Sends the gathered bytes once every limit has room for them; resolves when the request has started. */
  async #dispatch(options: AbortOptions): Promise<void> {
    const buffer = this.#buffer;
    if (buffer === undefined || this.#filled === 0) return;
    const chunk = buffer.subarray(0, this.#filled);
    const offset = this.#offset;
    this.#buffer = undefined;
    this.#offset += this.#filled;
    this.#filled = 0;
    const limits = this.#target.limits ?? [];
    await acquireAll(limits, chunk.length, options);
    if (this.#failure !== undefined) {
      releaseAll(limits, chunk.length);
      this.#pool.give(buffer);
      return;
    }
    const request = this.#send(offset, chunk, options).finally(() => {
      releaseAll(limits, chunk.length);
      this.#pool.give(buffer);
      this.#pending.delete(request);
    });
    this.#pending.add(request);
    // Without limits, behave as a sink with no pipelining: one request at a time.
    if (limits.length === 0) await request;
  }

  async #send(offset: number, chunk: Uint8Array, options: AbortOptions): Promise<void> {
    const { api, storageIndex, shareNumber, uploadSecret } = this.#target;
    try {
      const result = await api.writeShareChunk(storageIndex, shareNumber, uploadSecret, offset, chunk, {
        signal: options.signal,
        timeoutMs: this.#target.requestTimeoutMs,
      });
      this.#target.onProgress?.(chunk.length);
      if (result.complete) this.#completed = true;
    } catch (error) {
      if (this.#failure === undefined) this.#fail(error);
    }
  }

  #fail(reason: unknown): void {
    this.#failure = reason ?? new Error('upload aborted');
    this.#filled = 0;
    if (this.#buffer) this.#pool.give(this.#buffer);
    this.#buffer = undefined;
    const { api, storageIndex, shareNumber, uploadSecret } = this.#target;
    // Best effort: tell the server to drop the partial share; its own timeout cleans up otherwise.
    api.abortUpload(storageIndex, shareNumber, uploadSecret, { timeoutMs: 10_000 }).catch(() => undefined);
  }
}
