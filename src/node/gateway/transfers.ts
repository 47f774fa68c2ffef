/**
 * The gateway's record of current and recent uploads and downloads, shown by `/status` (Tahoe
 * `web/status.py`: "Active Operations" and "Recent Operations"). Caps are never recorded; a transfer is
 * identified by its storage index once known.
 *
 * @module
 */
import type { TransferProgress } from '../../storage/client/grid.js';

/** One transfer as `/status?t=json` shows it. */
export interface TransferStatus {
  /** A counter, unique within this gateway. */
  id: number;
  type: 'upload' | 'download';
  /** `active` until it ends. */
  state: 'active' | 'done' | 'failed';
  /** What is happening now: receiving the request body, hashing, uploading, downloading. */
  phase: TransferProgress['phase'] | 'receiving';
  /** Plaintext size in bytes, when known. */
  size: number | null;
  /** Bytes done in the current phase, and the phase's total when known. */
  done: number;
  total: number | null;
  /** `done / total` (0..1), or `null` when the total is unknown. */
  progress: number | null;
  /** Base32 storage index, when known (never the cap). */
  storageIndex: string | null;
  /** Seconds since the epoch. */
  started: number;
  finished: number | null;
  /** Why it failed. */
  error: string | null;
}

/** A live handle on one recorded transfer. */
export interface TransferHandle {
  readonly status: TransferStatus;
  /** Feeds the transfer's progress. */
  progress(p: { phase: TransferStatus['phase']; done: number; total: number | undefined }): void;
  /** Records the storage index or size when learned. */
  describe(info: { storageIndex?: string; size?: number }): void;
  /** Ends the transfer successfully. */
  finish(): void;
  /** Ends the transfer with an error message (already safe to show). */
  fail(message: string): void;
}

/** Keeps active transfers and the last `keepRecent` finished ones. */
export class TransferTracker {
  readonly #active = new Map<number, TransferStatus>();
  readonly #recent: TransferStatus[] = [];
  readonly #keepRecent: number;
  #nextId = 1;

  constructor(keepRecent = 20) {
    this.#keepRecent = keepRecent;
  }

  /** Starts recording a transfer. */
  start(type: TransferStatus['type'], size?: number): TransferHandle {
    const status: TransferStatus = {
      id: this.#nextId++,
      type,
      state: 'active',
      phase: type === 'upload' ? 'receiving' : 'downloading',
      size: size ?? null,
      done: 0,
      total: null,
      progress: null,
      storageIndex: null,
      started: Date.now() / 1000,
      finished: null,
      error: null,
    };
    this.#active.set(status.id, status);
    const end = (state: 'done' | 'failed', error: string | null): void => {
      if (status.state !== 'active') return;
      status.state = state;
      status.error = error;
      status.finished = Date.now() / 1000;
      this.#active.delete(status.id);
      this.#recent.unshift(status);
      this.#recent.length = Math.min(this.#recent.length, this.#keepRecent);
    };
    return {
      status,
      progress: (p) => {
        status.phase = p.phase;
        status.done = p.done;
        status.total = p.total ?? null;
        status.progress = p.total ? Math.min(1, p.done / p.total) : p.total === 0 ? 1 : null;
      },
      describe: (info) => {
        if (info.storageIndex !== undefined) status.storageIndex = info.storageIndex;
        if (info.size !== undefined) status.size = info.size;
      },
      finish: () => end('done', null),
      fail: (message) => end('failed', message),
    };
  }

  /** Copies of the active transfers (oldest first) and the recent ones (newest first). */
  snapshot(): { active: TransferStatus[]; recent: TransferStatus[] } {
    return {
      active: [...this.#active.values()].map((s) => ({ ...s })),
      recent: this.#recent.map((s) => ({ ...s })),
    };
  }
}
