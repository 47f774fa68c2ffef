/**
 * The pure-TypeScript multiply-accumulate kernel: byte-wise lookups in the 64 KiB product table.
 *
 * @module
 */
import { GF_MUL_TABLE } from './gf256.js';
import type { MatrixApplier, MatrixKernel } from './kernel.js';

/** The portable kernel; always available. */
export const jsKernel: MatrixKernel = {
  name: 'js',
  compile(coefficients: Uint8Array, rows: number, k: number): MatrixApplier {
    const matrix = coefficients.slice(0, rows * k);
    return (src, out, len) => {
      for (let r = 0; r < rows; r++) {
        const dst = out[r]!;
        dst.fill(0, 0, len);
        for (let j = 0; j < k; j++) mulAdd(dst, src[j]!, matrix[r * k + j]!, len);
      }
    };
  },
};

/** dst[0..len) ^= c * src[0..len) */
function mulAdd(dst: Uint8Array, src: Uint8Array, c: number, len: number): void {
  if (c === 0) return;
  if (c === 1) {
    for (let i = 0; i < len; i++) dst[i]! ^= src[i]!;
    return;
  }
  const table = GF_MUL_TABLE.subarray(c << 8, (c << 8) + 256);
  for (let i = 0; i < len; i++) dst[i]! ^= table[src[i]!]!;
}
