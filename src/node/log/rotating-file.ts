/**
 * An append-only log file rotated by size, written asynchronously from a bounded queue: callers never wait for
 * the disk and never block the event loop; when the disk falls behind and the queue is full, lines are dropped
 * and counted, and the count is written as soon as there is room again. Rotation keeps `keepFiles` old files
 * (`lafs.log.1` newest ... `lafs.log.N` oldest), like twistd's `logs/twistd.log.N` that Tahoe nodes keep
 * (`docs/configuration.rst`, "Other files": `logs/`).
 *
 * @module
 */
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LogFileError } from './errors.js';

/** Options of {@link RotatingFile.open}. */
export interface RotatingFileOptions {
  /** Rotate before a write would make the file larger than this (bytes). */
  maxFileBytes: number;
  /** How many rotated files to keep (0: the current file only; it is truncated at rotation). */
  keepFiles: number;
  /** Most bytes waiting for the disk; lines beyond it are dropped and counted. */
  maxQueueBytes: number;
  /** The line written when lines had to be dropped (`count` since the last such line). */
  droppedLine: (count: number) => string;
  /** Told about write and rotation failures (the lines of the failed batch are lost and counted). */
  onWriteError?: (error: unknown) => void;
}

/** Counters of a {@link RotatingFile}. */
export interface RotatingFileStats {
  /** Lines written to disk. */
  written: number;
  /** Lines dropped: queue full, write failures, or written after close. */
  dropped: number;
  /** Failed writes or rotations. */
  writeErrors: number;
  /** Completed rotations. */
  rotations: number;
}

/** Largest batch handed to one `write` call. */
const BATCH_BYTES = 256 * 1024;

/** See the module comment. Create with {@link RotatingFile.open}. */
export class RotatingFile {
  readonly path: string;
  readonly #options: RotatingFileOptions;
  #handle: FileHandle | undefined;
  #size: number;
  #queue: string[] = [];
  #queuedBytes = 0;
  #droppedUnreported = 0;
  #draining: Promise<void> | undefined;
  #closed = false;
  readonly #stats: RotatingFileStats = { written: 0, dropped: 0, writeErrors: 0, rotations: 0 };

  private constructor(path: string, handle: FileHandle, size: number, options: RotatingFileOptions) {
    this.path = path;
    this.#handle = handle;
    this.#size = size;
    this.#options = options;
  }

  /** Opens (creating, mode 0600, with its directory) the file at `path` for appending. */
  static async open(path: string, options: RotatingFileOptions): Promise<RotatingFile> {
    for (const [name, value, min] of [
      ['maxFileBytes', options.maxFileBytes, 1024],
      ['keepFiles', options.keepFiles, 0],
      ['maxQueueBytes', options.maxQueueBytes, 1024],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < min)
        throw new RangeError(`log ${name} must be an integer >= ${min}, got ${String(value)}`);
    }
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const handle = await open(path, 'a', 0o600);
      const { size } = await handle.stat();
      return new RotatingFile(path, handle, size, options);
    } catch (error) {
      throw new LogFileError(path, error);
    }
  }

  /** A copy of the counters. */
  get stats(): RotatingFileStats {
    return { ...this.#stats };
  }

  /** Queues one line (a trailing newline is added). Returns false if it was dropped. Never waits. */
  write(line: string): boolean {
    const bytes = Buffer.byteLength(line) + 1;
    if (this.#closed || this.#queuedBytes + bytes > this.#options.maxQueueBytes) {
      this.#stats.dropped++;
      if (!this.#closed) this.#droppedUnreported++;
      return false;
    }
    this.#queue.push(`${line}\n`);
    this.#queuedBytes += bytes;
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
    return true;
  }

  /** Resolves once every line queued so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.#draining !== undefined) await this.#draining;
  }

  /** Writes what is queued, then closes the file; later lines are dropped. Safe to call twice. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const lines: string[] = [];
      if (this.#droppedUnreported > 0) {
        lines.push(`${this.#options.droppedLine(this.#droppedUnreported)}\n`);
        this.#droppedUnreported = 0;
      }
      try {
        const next = Buffer.byteLength(this.#queue[0] ?? '') + Buffer.byteLength(lines.join(''));
        if (this.#size > 0 && this.#size + next > this.#options.maxFileBytes) await this.#rotate();
      } catch (error) {
        this.#failed(error, this.#queue.splice(0).length);
        this.#queuedBytes = 0;
        return;
      }
      // Fill the batch up to the room left in this file (one line at least, however long).
      const room = Math.min(BATCH_BYTES, this.#options.maxFileBytes - this.#size);
      let bytes = Buffer.byteLength(lines.join(''));
      while (this.#queue.length > 0) {
        const size = Buffer.byteLength(this.#queue[0] ?? '');
        if (lines.length > 0 && bytes + size > room) break;
        lines.push(this.#queue.shift() as string);
        this.#queuedBytes -= size;
        bytes += size;
      }
      const data = Buffer.from(lines.join(''));
      try {
        const handle = this.#handle ?? (await this.#reopen());
        await handle.write(data);
        this.#size += data.length;
        this.#stats.written += lines.length;
      } catch (error) {
        this.#failed(error, lines.length);
      }
    }
  }

  #failed(error: unknown, lines: number): void {
    this.#stats.writeErrors++;
    this.#stats.dropped += lines;
    this.#options.onWriteError?.(error);
  }

  /** Opens the file again after a failed rotation. */
  async #reopen(): Promise<FileHandle> {
    const handle = await open(this.path, 'a', 0o600);
    this.#handle = handle;
    this.#size = (await handle.stat()).size;
    return handle;
  }

  /** `lafs.log.(N-1)` → `lafs.log.N`, ..., `lafs.log` → `lafs.log.1`, then a fresh `lafs.log`. */
  async #rotate(): Promise<void> {
    const old = this.#handle;
    this.#handle = undefined;
    await old?.close();
    const keep = this.#options.keepFiles;
    if (keep === 0) {
      await unlink(this.path).catch(ignoreMissing);
    } else {
      for (let i = keep - 1; i >= 1; i--) {
        await rename(`${this.path}.${i}`, `${this.path}.${i + 1}`).catch(ignoreMissing);
      }
      await rename(this.path, `${this.path}.1`).catch(ignoreMissing);
    }
    await this.#reopen();
    this.#stats.rotations++;
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
