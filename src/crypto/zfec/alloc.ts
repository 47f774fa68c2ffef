/**
 * Output block allocation for the codec.
 *
 * `new Uint8Array(n)` zero-fills, which for megabyte blocks costs as much as the SIMD kernel itself. Every byte
 * of a codec output is overwritten before it is returned, so on Node the codec takes uninitialized memory from
 * `Buffer.allocUnsafeSlow` (never the shared small-buffer pool, so each block owns its ArrayBuffer) and hands it
 * out as a plain `Uint8Array`.
 *
 * @module
 */

type AllocUnsafeSlow = (size: number) => Uint8Array;

const allocUnsafeSlow = (globalThis as { Buffer?: { allocUnsafeSlow?: AllocUnsafeSlow } }).Buffer
  ?.allocUnsafeSlow;

/** Returns a `length`-byte block whose contents are unspecified: the caller must overwrite all of it. */
export function allocUninitialized(length: number): Uint8Array {
  if (allocUnsafeSlow === undefined || length < 4096) return new Uint8Array(length);
  const raw = allocUnsafeSlow(length);
  return new Uint8Array(raw.buffer, raw.byteOffset, length);
}
