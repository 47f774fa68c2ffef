/**
 * Reconnection delays: exponential, capped, with "equal jitter" (half fixed, half random) so that many clients
 * of a restarted introducer do not return in lock-step, yet none retries in a tight loop.
 *
 * @module
 */

/** Back-off parameters. */
export interface BackoffOptions {
  /** The first delay (default 1 s). */
  initialMs?: number;
  /** The largest delay (default 5 min). */
  maxMs?: number;
  /** Growth per failure (default 2). */
  factor?: number;
}

/** The delay before retry number `attempt` (0 for the first retry); `random` returns values in [0, 1). */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const initial = options.initialMs ?? 1000;
  const max = options.maxMs ?? 5 * 60 * 1000;
  const factor = options.factor ?? 2;
  if (!(initial > 0 && max >= initial && factor >= 1))
    throw new RangeError(`bad back-off: initialMs ${initial}, maxMs ${max}, factor ${factor}`);
  const ceiling = Math.min(max, initial * factor ** Math.min(attempt, 64));
  return ceiling / 2 + random() * (ceiling / 2);
}
