/**
 * A cap on request bytes buffered in memory at once across all requests, so many slow or large requests
 * cannot exhaust memory. Buffers that would exceed it are refused (the request gets 503), never queued.
 *
 * @module
 */
import { ServerBusyError } from './errors.js';

/** Counts bytes reserved by in-flight requests against a fixed limit. */
export class ByteBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  /** Reserves `n` bytes or throws {@link ServerBusyError}. */
  take(n: number): void {
    if (this.used + n > this.limit) throw new ServerBusyError(this.limit);
    this.used += n;
  }

  /** Reserves `n` bytes if they fit; false (and nothing reserved) otherwise. */
  tryTake(n: number): boolean {
    if (this.used + n > this.limit) return false;
    this.used += n;
    return true;
  }

  /** Returns `n` bytes to the budget. */
  give(n: number): void {
    this.used = Math.max(0, this.used - n);
  }

  /** Bytes currently reserved. */
  get inUse(): number {
    return this.used;
  }
}
