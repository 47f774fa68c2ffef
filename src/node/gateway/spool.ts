/**
 * Spooling a request body to a temporary file, so a convergent upload can read it twice (Tahoe does the same
 * with large bodies) without holding it in memory.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFully } from '../../util/write-fully.js';
import { BodyTooLargeError } from './errors.js';

/** A spooled body on disk: read it with `open()` as often as needed, then `remove()`. */
export interface SpoolFile {
  path: string;
  size: number;
  /** A fresh stream of the contents (1 MiB chunks). */
  open(): AsyncIterable<Uint8Array>;
  /** Deletes the file (safe to call twice). */
  remove(): Promise<void>;
}

/** An open spool being written: append with `write`, then `finish`; `remove` on failure. */
export class SpoolWriter {
  readonly path: string;
  #handle: FileHandle | undefined;
  #size = 0;
  readonly #limit: number;

  private constructor(path: string, handle: FileHandle, limit: number) {
    this.path = path;
    this.#handle = handle;
    this.#limit = limit;
  }

  /** Creates `tmpDir/upload-<random>.tmp` (mode 0600) accepting at most `limit` bytes. */
  static async create(tmpDir: string, limit: number): Promise<SpoolWriter> {
    const path = join(tmpDir, `upload-${randomBytes(8).toString('hex')}.tmp`);
    return new SpoolWriter(path, await open(path, 'wx', 0o600), limit);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.#size;
  }

  /** Appends `chunk`. @throws {BodyTooLargeError} past the limit. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.#size + chunk.length > this.#limit) throw new BodyTooLargeError(this.#limit);
    if (!this.#handle) throw new Error(`bug: the spool ${this.path} was written after finish() or remove()`);
    await writeFully(this.#handle, chunk, null, this.path);
    this.#size += chunk.length;
  }

  /** Closes the file and returns it for reading. */
  async finish(): Promise<SpoolFile> {
    await this.#handle?.close();
    this.#handle = undefined;
    const path = this.path;
    return {
      path,
      size: this.#size,
      open: () => createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>,
      remove: () => rm(path, { force: true }),
    };
  }

  /** Closes and deletes the file. */
  async remove(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close().catch(() => undefined);
    await rm(this.path, { force: true });
  }
}
