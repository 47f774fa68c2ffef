/**
 * Bounded in-flight data for grid transfers (issue #7, "bounded in-flight data"): a byte counter that callers
 * reserve from before they hand data to the network and give back when the server has answered. One limit per
 * server and one for the whole transfer keep the client's memory fixed however fast the encoder runs and
 * however slow a server is.
 *
 * @module
 */
import { AbortError } from '../../errors.js';
import { type AbortOptions, onAbort, throwIfAborted } from '../../util/abort.js';

interface Waiter {
  bytes: number;
  grant: () => void;
}

/**
 * A first-come, first-served byte semaphore. A reservation larger than the whole limit is granted only when
 * nothing else is reserved (so one oversized request can still go, alone), which keeps `inUse <= limit`
 * except in that case, where `inUse` equals the one reservation.
 */
export class InFlightLimit {
  readonly limit: number;
  /** Names the limit in messages (e.g. `"server v0-abc"`, `"upload"`). */
  readonly label: string;
  #inUse = 0;
  #peak = 0;
  readonly #waiters: Waiter[] = [];

  constructor(limit: number, label = 'in-flight data') {
    if (!Number.isSafeInteger(limit) || limit < 1) {
      throw new RangeError(`${label}: the in-flight limit must be a positive integer, got ${limit}`);
    }
    this.limit = limit;
    this.label = label;
  }

  /** Bytes reserved now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** The most bytes ever reserved at once (for tests and benchmarks). */
  get peak(): number {
    return this.#peak;
  }

  #fits(bytes: number): boolean {
    return this.#inUse === 0 || this.#inUse + bytes <= this.limit;
  }

  #take(bytes: number): void {
    this.#inUse += bytes;
    if (this.#inUse > this.#peak) this.#peak = this.#inUse;
  }

  /**
   * Waits until `bytes` can be reserved, then reserves them. Waiters are served in order, so a large
   * reservation is not starved by small ones. Rejects with {@link AbortError} if `options.signal` fires first.
   */
  acquire(bytes: number, options: AbortOptions = {}): Promise<void> {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      return Promise.reject(new RangeError(`${this.label}: cannot reserve ${bytes} bytes`));
    }
    const { signal } = options;
    throwIfAborted(signal, `waiting for ${this.label}`);
    if (this.#waiters.length === 0 && this.#fits(bytes)) {
      this.#take(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let cancel = (): void => {};
      const waiter: Waiter = {
        bytes,
        grant: () => {
          cancel();
          resolve();
        },
      };
      if (signal) {
        // One listener on the signal for all waiters (util/abort onAbort): a transfer has many at once.
        cancel = onAbort(signal, () => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(new AbortError(`waiting for ${this.label} was aborted`, { cause: signal.reason }));
          this.#wake();
        });
      }
      this.#waiters.push(waiter);
    });
  }

  /** Gives back `bytes` reserved earlier and wakes the waiters that now fit. */
  release(bytes: number): void {
    if (bytes > this.#inUse) {
      throw new Error(`bug: ${this.label}: releasing ${bytes} bytes, only ${this.#inUse} reserved`);
    }
    this.#inUse -= bytes;
    this.#wake();
  }

  #wake(): void {
    while (this.#waiters.length > 0) {
      const head = this.#waiters[0] as Waiter;
      if (!this.#fits(head.bytes)) return;
      this.#waiters.shift();
      this.#take(head.bytes);
      head.grant();
    }
  }
}

/**
 * Reserves `bytes` from every limit in `limits`, in order (always the same order, e.g. server then overall, so
 * two callers cannot deadlock). On abort, whatever was already reserved is given back.
 */
export async function acquireAll(
  limits: readonly InFlightLimit[],
  bytes: number,
  options: AbortOptions = {},
): Promise<void> {
  const taken: InFlightLimit[] = [];
  try {
    for (const limit of limits) {
      await limit.acquire(bytes, options);
      taken.push(limit);
    }
  } catch (error) {
    for (const limit of taken) limit.release(bytes);
    throw error;
  }
}

/** Gives `bytes` back to every limit in `limits`. */
export function releaseAll(limits: readonly InFlightLimit[], bytes: number): void {
  for (const limit of limits) limit.release(bytes);
}
