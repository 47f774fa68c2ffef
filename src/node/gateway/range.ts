/**
 * The `Range` request header, as much of it as Tahoe-LAFS supports: one `bytes` range (webapi.rst "Reading a
 * File"; RFC 9110 section 14.1.2). Several ranges, other units or bad syntax are ignored (the whole file is
 * sent), as RFC 9110 allows.
 *
 * Grammar handled: `bytes=FIRST-LAST`, `bytes=FIRST-`, `bytes=-SUFFIXLEN`.
 *
 * @module
 */
import { RangeNotSatisfiableError } from './errors.js';

/** An inclusive byte range `[start, end]` within the file. */
export interface ByteRange {
  start: number;
  end: number;
}

const SINGLE = /^bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i;

/**
 * Resolves `header` against a file of `size` bytes: `undefined` means "send everything" (no header, or one
 * to ignore). Reads past the end are truncated.
 *
 * @throws {RangeNotSatisfiableError} when the range starts at or beyond the end (or is an empty suffix).
 */
export function resolveRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = SINGLE.exec(header);
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return undefined;
  if (first === '') {
    const suffix = Number(last);
    if (!Number.isSafeInteger(suffix)) return undefined;
    if (suffix === 0 || size === 0) throw new RangeNotSatisfiableError(header, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return undefined;
  if (start >= size) throw new RangeNotSatisfiableError(header, size);
  return { start, end: Math.min(end, size - 1) };
}
