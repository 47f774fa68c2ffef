/**
 * Pass 1 of a convergent upload: the plaintext's size and its convergent AES key (Tahoe `immutable/upload.py`
 * `_get_encryption_key_convergent`, `util/hashutil.py` `convergence_hasher`).
 *
 * The key's tag includes the *effective* segment size, which depends on the file size (smaller files get a
 * smaller segment), and the size is unknown until the stream ends. Files of at least `maxSegmentSize` bytes all
 * use the same segment size, so one hasher runs for that case while the first `maxSegmentSize` bytes are also
 * kept; if the stream ends sooner, the kept bytes (less than one segment) are hashed with the right tag.
 * Memory is thus bounded by one maximum segment.
 *
 * @module
 */
import { convergenceHasher } from '../../crypto/hashutil.js';
import { throwIfAborted } from '../../util/abort.js';

/** The result of pass 1. */
export interface ConvergentKeyResult {
  /** 16-byte AES key. */
  key: Uint8Array;
  /** Plaintext size in bytes. */
  size: number;
  /** The whole plaintext when it was shorter than `maxSegmentSize` (so small files need no second read). */
  smallData: Uint8Array | undefined;
}

const nextMultiple = (n: number, k: number): number => Math.ceil(n / k) * k;

/** Hashes `chunks` once to derive the convergent key for k-of-N encoding with the given maximum segment size. */
export async function computeConvergentKey(
  chunks: AsyncIterable<Uint8Array>,
  convergenceSecret: Uint8Array,
  needed: number,
  total: number,
  maxSegmentSize: number,
  signal?: AbortSignal,
): Promise<ConvergentKeyResult> {
  const large = convergenceHasher(
    { needed, total, segmentSize: nextMultiple(maxSegmentSize, needed) },
    convergenceSecret,
  );
  let kept: Uint8Array[] | undefined = [];
  let size = 0;
  for await (const chunk of chunks) {
    throwIfAborted(signal, 'hashing the plaintext for the convergent key');
    large.update(chunk);
    size += chunk.length;
    if (kept) {
      if (size < maxSegmentSize) kept.push(chunk.slice());
      else kept = undefined;
    }
  }
  if (kept === undefined) return { key: large.digest(), size, smallData: undefined };
  const smallData = new Uint8Array(Buffer.concat(kept));
  const segmentSize = nextMultiple(Math.max(size, 1), needed);
  const key = convergenceHasher({ needed, total, segmentSize }, convergenceSecret).update(smallData).digest();
  return { key, size, smallData };
}
