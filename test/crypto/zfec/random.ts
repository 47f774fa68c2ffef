/**
 * A seeded pseudo-random generator (xorshift32) so that randomized tests are reproducible.
 *
 * @module
 */

/** Deterministic random bytes and integers from a 32-bit seed. */
export class SeededRandom {
  #state: number;

  constructor(readonly seed: number) {
    this.#state = seed >>> 0 || 0x9e3779b9;
  }

  /** The next 32-bit unsigned value. */
  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  /** An integer in [0, bound). */
  int(bound: number): number {
    return this.next() % bound;
  }

  /** `length` random bytes. */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** `count` distinct integers from [0, bound), in random order. */
  sample(bound: number, count: number): number[] {
    const pool = Array.from({ length: bound }, (_, i) => i);
    for (let i = 0; i < count; i++) {
      const j = i + this.int(bound - i);
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
    return pool.slice(0, count);
  }
}
