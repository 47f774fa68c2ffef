/**
 * Plaintext sources for immutable uploads, and the fixed-size segment reader the encoder pulls from.
 *
 * Convergent encryption hashes the whole plaintext before the first byte can be encrypted (Tahoe
 * `immutable/upload.py` `_get_encryption_key_convergent`), so a convergent upload reads its source twice: pass 1
 * derives the key, pass 2 encrypts and encodes. A source is therefore a `Uint8Array`, a *function* returning a
 * fresh `AsyncIterable` for each pass (e.g. `() => createReadStream(path)`), or, for single-pass uses (random
 * key with a known size), one `AsyncIterable`.
 *
 * @module
 */
import { throwIfAborted } from '../../util/abort.js';
import { ChkSourceError } from './errors.js';

/** Plaintext handed to the immutable encoder. */
export type ImmutableSource = Uint8Array | AsyncIterable<Uint8Array> | (() => AsyncIterable<Uint8Array>);

/** True when {@link openSourcePass} may be called more than once on `source`. */
export function isRereadable(source: ImmutableSource): boolean {
  return source instanceof Uint8Array || typeof source === 'function';
}

async function* once(data: Uint8Array): AsyncIterable<Uint8Array> {
  yield data;
}

/** Returns an iterable for one pass over `source`; for a single-use iterable, `used` must be false. */
export function openSourcePass(source: ImmutableSource, used: boolean): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) return once(source);
  if (typeof source === 'function') return source();
  if (used) {
    throw new ChkSourceError(
      'this upload needs a second pass over the plaintext, but the source is a single-use AsyncIterable: pass a Uint8Array or a function returning a fresh AsyncIterable',
    );
  }
  return source;
}

/**
 * Re-chunks `chunks` into segments of exactly `segmentSize` bytes (the last one shorter) and checks that the
 * source yields exactly `expectedSize` bytes. The yielded buffer is reused: it is valid only until the next
 * iteration step.
 */
export async function* readSegments(
  chunks: AsyncIterable<Uint8Array>,
  segmentSize: number,
  expectedSize: number,
  signal?: AbortSignal,
): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(segmentSize);
  let filled = 0;
  let total = 0;
  for await (const chunk of chunks) {
    throwIfAborted(signal, 'the immutable upload');
    if (!(chunk instanceof Uint8Array))
      throw new ChkSourceError(`the plaintext source yielded a ${typeof chunk}, not a Uint8Array`);
    total += chunk.length;
    if (total > expectedSize) {
      throw new ChkSourceError(`the plaintext source yielded more than the expected ${expectedSize} bytes`);
    }
    let pos = 0;
    while (pos < chunk.length) {
      const n = Math.min(segmentSize - filled, chunk.length - pos);
      buffer.set(chunk.subarray(pos, pos + n), filled);
      filled += n;
      pos += n;
      if (filled === segmentSize) {
        yield buffer;
        filled = 0;
      }
    }
  }
  if (total !== expectedSize) {
    throw new ChkSourceError(
      `the plaintext source yielded ${total} bytes, expected ${expectedSize} (did it change?)`,
    );
  }
  if (filled > 0) yield buffer.subarray(0, filled);
}
