/**
 * A level-triggered wake-up flag for background loops: `wake()` sets it, `wait()` resolves once it is set and
 * clears it. Wakes that happen while nobody waits are not lost.
 *
 * @module
 */
import { AbortError } from '../../errors.js';
import { throwIfAborted } from '../../util/abort.js';

/** See the module comment. */
export class Wakeup {
  #set = false;
  #waiters = new Set<() => void>();

  /** Sets the flag and releases every waiter. */
  wake(): void {
    this.#set = true;
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const w of waiters) w();
  }

  /** Resolves when the flag is set (clearing it), or rejects with {@link AbortError} when `signal` fires. */
  async wait(signal: AbortSignal | undefined, what: string): Promise<void> {
    throwIfAborted(signal, what);
    if (!this.#set) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.#waiters.delete(release);
          reject(new AbortError(`${what} was aborted`, { cause: signal?.reason }));
        };
        const release = (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.#waiters.add(release);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.#set = false;
  }
}
