/**
 * The matrices behind zfec's systematic Reed-Solomon code (Rizzo's `fec.c`, as used by zfec and Tahoe-LAFS).
 *
 * zfec starts from an n x k Vandermonde matrix V over GF(2^8) whose row 0 evaluates at the point 0
 * (`[1, 0, ..., 0]`) and whose row r >= 1 evaluates at alpha^(r-1) (`V[r][c] = alpha^((r-1)*c)`), then makes it
 * systematic: `E = V * inverse(V[0..k-1])`, so the top k rows of E are the identity. Share r's block is row r of
 * E times the column of the k primary blocks. Because a matrix inverse is unique, any correct inversion method
 * yields zfec's exact bytes.
 *
 * Matrices are row-major `Uint8Array`s.
 *
 * @module
 */
import { ZfecInternalError } from './errors.js';
import { GF_MUL_TABLE, gfExp, gfInverse } from './gf256.js';

/** Builds zfec's n x k systematic encoding matrix (`fec_new` in zfec's `fec.c`). Requires 1 <= k <= n <= 256. */
export function buildEncodeMatrix(k: number, n: number): Uint8Array {
  const vandermonde = new Uint8Array(n * k);
  vandermonde[0] = 1;
  for (let row = 1; row < n; row++) {
    for (let col = 0; col < k; col++) vandermonde[row * k + col] = gfExp((row - 1) * col);
  }
  const topInverse = invertMatrix(vandermonde.slice(0, k * k), k);
  if (topInverse === undefined) throw new ZfecInternalError(`the Vandermonde top is singular for k=${k}`);
  const encode = new Uint8Array(n * k);
  for (let i = 0; i < k; i++) encode[i * k + i] = 1;
  const bottom = multiplyMatrices(vandermonde.subarray(k * k), topInverse, n - k, k, k);
  encode.set(bottom, k * k);
  return encode;
}

/** Returns the product of the `rows x inner` matrix `a` and the `inner x cols` matrix `b`. */
function multiplyMatrices(
  a: Uint8Array,
  b: Uint8Array,
  rows: number,
  inner: number,
  cols: number,
): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < inner; i++) {
      const coefficient = a[r * inner + i]!;
      if (coefficient === 0) continue;
      const mulRow = coefficient << 8;
      for (let c = 0; c < cols; c++) out[r * cols + c]! ^= GF_MUL_TABLE[mulRow | b[i * cols + c]!]!;
    }
  }
  return out;
}

/**
 * Inverts the k x k matrix `m` by Gauss-Jordan elimination (destroying `m`); returns the inverse, or `undefined`
 * if `m` is singular.
 */
export function invertMatrix(m: Uint8Array, k: number): Uint8Array | undefined {
  const inv = new Uint8Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  for (let col = 0; col < k; col++) {
    let pivot = col;
    while (pivot < k && m[pivot * k + col] === 0) pivot++;
    if (pivot === k) return undefined;
    if (pivot !== col) {
      swapRows(m, k, pivot, col);
      swapRows(inv, k, pivot, col);
    }
    const scale = gfInverse(m[col * k + col]!);
    if (scale !== 1) {
      scaleRow(m, k, col, scale);
      scaleRow(inv, k, col, scale);
    }
    for (let row = 0; row < k; row++) {
      if (row === col) continue;
      const factor = m[row * k + col]!;
      if (factor === 0) continue;
      addScaledRow(m, k, row, col, factor);
      addScaledRow(inv, k, row, col, factor);
    }
  }
  return inv;
}

function swapRows(m: Uint8Array, k: number, a: number, b: number): void {
  for (let c = 0; c < k; c++) {
    const t = m[a * k + c]!;
    m[a * k + c] = m[b * k + c]!;
    m[b * k + c] = t;
  }
}

function scaleRow(m: Uint8Array, k: number, row: number, factor: number): void {
  const mulRow = factor << 8;
  for (let c = 0; c < k; c++) m[row * k + c] = GF_MUL_TABLE[mulRow | m[row * k + c]!]!;
}

/** row `dst` += factor * row `src` */
function addScaledRow(m: Uint8Array, k: number, dst: number, src: number, factor: number): void {
  const mulRow = factor << 8;
  for (let c = 0; c < k; c++) m[dst * k + c]! ^= GF_MUL_TABLE[mulRow | m[src * k + c]!]!;
}
