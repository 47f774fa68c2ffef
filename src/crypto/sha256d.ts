/**
 * SHA-256d and tagged hashes, the hash construction under every Tahoe-LAFS identifier (Tahoe
 * `util/hashutil.py`: `_SHA256d_Hasher`, `tagged_hasher`, `tagged_hash`, `tagged_pair_hash`).
 *
 * SHA-256d (Ferguson & Schneier) is `SHA256(SHA256(data))`, which resists length extension. A tagged hash
 * prefixes the data with `netstring(tag)` so that hashes computed for different purposes never collide.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { netstring } from './netstring.js';

/** An incremental hash: feed bytes with {@link IncrementalHash.update}, then take the {@link IncrementalHash.digest}. */
export interface IncrementalHash {
  /** Adds bytes; returns the hasher for chaining. Throws if called after `digest()`. */
  update(data: Uint8Array): this;
  /** The (possibly truncated) digest; may be called more than once. */
  digest(): Uint8Array;
}

class Sha256dHasher implements IncrementalHash {
  #inner: Hash | undefined = createHash('sha256');
  #digest: Uint8Array | undefined;
  readonly #truncateTo: number | undefined;

  constructor(truncateTo?: number) {
    this.#truncateTo = truncateTo;
  }

  update(data: Uint8Array): this {
    if (!this.#inner) throw new Error('SHA-256d hasher: update() after digest()');
    this.#inner.update(data);
    return this;
  }

  digest(): Uint8Array {
    if (!this.#digest) {
      const inner = this.#inner;
      if (!inner) throw new Error('SHA-256d hasher: internal state lost');
      this.#inner = undefined;
      const outer = new Uint8Array(createHash('sha256').update(inner.digest()).digest());
      this.#digest = this.#truncateTo ? outer.subarray(0, this.#truncateTo) : outer;
    }
    return this.#digest;
  }
}

/** A new SHA-256d hasher whose digest is cut to `truncateTo` bytes when given (Tahoe `_SHA256d_Hasher`). */
export function sha256dHasher(truncateTo?: number): IncrementalHash {
  return new Sha256dHasher(truncateTo);
}

/** `SHA256(SHA256(data))`, optionally truncated. */
export function sha256d(data: Uint8Array, truncateTo?: number): Uint8Array {
  return sha256dHasher(truncateTo).update(data).digest();
}

/** A SHA-256d hasher already fed `netstring(tag)` (Tahoe `tagged_hasher`). */
export function taggedHasher(tag: Uint8Array, truncateTo?: number): IncrementalHash {
  return sha256dHasher(truncateTo).update(netstring(tag));
}

/** `SHA256d(netstring(tag) || data)`, optionally truncated (Tahoe `tagged_hash`). */
export function taggedHash(tag: Uint8Array, data: Uint8Array, truncateTo?: number): Uint8Array {
  return taggedHasher(tag, truncateTo).update(data).digest();
}

/** `SHA256d(netstring(tag) || netstring(a) || netstring(b))`, optionally truncated (Tahoe `tagged_pair_hash`). */
export function taggedPairHash(
  tag: Uint8Array,
  a: Uint8Array,
  b: Uint8Array,
  truncateTo?: number,
): Uint8Array {
  return sha256dHasher(truncateTo).update(netstring(tag)).update(netstring(a)).update(netstring(b)).digest();
}
