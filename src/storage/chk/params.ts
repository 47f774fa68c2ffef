/**
 * Encoding parameters of a CHK file: segment size, segment count, tail segment and block sizes (Tahoe
 * `immutable/upload.py` `get_all_encoding_parameters`, `immutable/encode.py` `_got_all_encoding_parameters`;
 * spec `docs/specifications/file-encoding.rst`).
 *
 * @module
 */

/** Tahoe's default maximum segment size since 1.19 (`DEFAULT_IMMUTABLE_MAX_SEGMENT_SIZE`, 1 MiB). */
export const DEFAULT_MAX_SEGMENT_SIZE = 1024 * 1024;

/** Files of at most this many bytes are stored inside a `URI:LIT` cap (`URI_LIT_SIZE_THRESHOLD`). */
export const LITERAL_THRESHOLD = 55;

/** Everything about a CHK file's shape that follows from its size and k, N and the maximum segment size. */
export interface ChkParams {
  /** File size in bytes. */
  size: number;
  /** k. */
  needed: number;
  /** N. */
  total: number;
  /** Effective segment size: `min(maxSegmentSize, size)` rounded up to a multiple of k. */
  segmentSize: number;
  /** `ceil(size / segmentSize)`. */
  numSegments: number;
  /** Bytes of plaintext in the last segment (`segmentSize` when it is full). */
  tailSize: number;
  /** The tail rounded up to a multiple of k (what the tail codec encodes; zero padded). */
  paddedTailSize: number;
  /** Block size of a full segment: `segmentSize / k`. */
  blockSize: number;
  /** Block size of the tail segment: `paddedTailSize / k`. */
  tailBlockSize: number;
  /** Bytes of block data per share: `ceil(size / k)`. */
  shareDataSize: number;
}

const nextMultiple = (n: number, k: number): number => Math.ceil(n / k) * k;

function checkInt(value: number, what: string, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer in ${min}..${max}, got ${value}`);
  }
}

/** Computes a CHK file's parameters the way Tahoe's uploader does, from the maximum segment size. */
export function chkParams(
  size: number,
  needed: number,
  total: number,
  maxSegmentSize = DEFAULT_MAX_SEGMENT_SIZE,
): ChkParams {
  checkInt(maxSegmentSize, 'maxSegmentSize', 1, 2 ** 40);
  checkInt(size, 'size', 1, Number.MAX_SAFE_INTEGER);
  return chkParamsFromSegmentSize(size, needed, total, nextMultiple(Math.min(maxSegmentSize, size), needed));
}

/** Computes the parameters from an effective segment size (as stored in the URI extension block). */
export function chkParamsFromSegmentSize(
  size: number,
  needed: number,
  total: number,
  segmentSize: number,
): ChkParams {
  checkInt(needed, 'needed (k)', 1, 256);
  checkInt(total, 'total (N)', needed, 256);
  checkInt(size, 'size', 1, Number.MAX_SAFE_INTEGER);
  checkInt(segmentSize, 'segment size', 1, Number.MAX_SAFE_INTEGER);
  if (segmentSize % needed !== 0)
    throw new RangeError(`segment size ${segmentSize} is not a multiple of k=${needed}`);
  const numSegments = Math.ceil(size / segmentSize);
  const tailSize = size % segmentSize || segmentSize;
  const paddedTailSize = nextMultiple(tailSize, needed);
  return {
    size,
    needed,
    total,
    segmentSize,
    numSegments,
    tailSize,
    paddedTailSize,
    blockSize: segmentSize / needed,
    tailBlockSize: paddedTailSize / needed,
    shareDataSize: Math.ceil(size / needed),
  };
}
