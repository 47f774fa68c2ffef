/**
 * Arithmetic in GF(2^8) as zfec defines it: polynomial basis, reduction by the primitive polynomial
 * x^8 + x^4 + x^3 + x^2 + 1 (0x11D), generator alpha = x (= 2).
 *
 * Addition is XOR. Multiplication uses log/exp tables built once at module load; the full 256x256 product
 * table (64 KiB) backs the byte-at-a-time kernels, and the nibble tables back the SIMD kernel.
 *
 * @module
 */

/** The primitive polynomial zfec reduces by (Rizzo's `Pp = "101110001"`, low bit first). */
export const GF_POLYNOMIAL = 0x11d;

/** `GF_EXP[i]` is alpha^i for 0 <= i < 510 (doubled so a sum of two logs needs no reduction). */
export const GF_EXP: Uint8Array = new Uint8Array(510);

/** `GF_LOG[x]` is log_alpha(x) for x != 0; `GF_LOG[0]` is unused. */
export const GF_LOG: Uint8Array = new Uint8Array(256);

/** `GF_MUL_TABLE[a * 256 + b]` is the product a*b. */
export const GF_MUL_TABLE: Uint8Array = new Uint8Array(256 * 256);

(function buildTables(): void {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    GF_EXP[i] = x;
    GF_EXP[i + 255] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= GF_POLYNOMIAL;
  }
  for (let a = 1; a < 256; a++) {
    const logA = GF_LOG[a]!;
    const row = a * 256;
    for (let b = 1; b < 256; b++) GF_MUL_TABLE[row + b] = GF_EXP[logA + GF_LOG[b]!]!;
  }
})();

/** The product a*b in GF(2^8); `a` and `b` must be bytes. */
export function gfMul(a: number, b: number): number {
  return GF_MUL_TABLE[(a << 8) | b]!;
}

/** The multiplicative inverse of a non-zero byte. */
export function gfInverse(a: number): number {
  if (a === 0) throw new RangeError('GF(2^8): zero has no inverse');
  return GF_EXP[255 - GF_LOG[a]!]!;
}

/** alpha^e for any non-negative integer exponent e. */
export function gfExp(e: number): number {
  return GF_EXP[e % 255]!;
}

/**
 * The 32 bytes a SIMD kernel needs to multiply by `c`: `c * i` for nibbles i = 0..15, then `c * (i << 4)`.
 * Since multiplication distributes over XOR, `c * x = low[x & 15] ^ high[x >> 4]`.
 */
export function nibbleTables(c: number, out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  const row = c << 8;
  for (let i = 0; i < 16; i++) {
    out[offset + i] = GF_MUL_TABLE[row | i]!;
    out[offset + 16 + i] = GF_MUL_TABLE[row | (i << 4)]!;
  }
  return out;
}
