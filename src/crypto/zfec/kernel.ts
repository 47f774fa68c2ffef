/**
 * The contract between the codec and its multiply-accumulate kernels (pure TypeScript or WebAssembly SIMD).
 *
 * Encoding and decoding are both "multiply a small coefficient matrix by a column of blocks": row r of the output
 * is `XOR over j of coefficients[r*k + j] * src[j]`, byte by byte in GF(2^8). A kernel compiles a coefficient
 * matrix once (precomputing its tables) into a {@link MatrixApplier} the codec caches and calls per segment.
 *
 * @module
 */

/** Which kernel computes the products. */
export type KernelName = 'js' | 'wasm';

/**
 * Computes `out[r][0..len) = XOR_j coefficients[r*k + j] * src[j][0..len)` for every row r.
 * `src` has k arrays and `out` has `rows` arrays, each at least `len` bytes; `out` must not overlap `src`.
 */
export type MatrixApplier = (src: readonly Uint8Array[], out: readonly Uint8Array[], len: number) => void;

/** A multiply-accumulate implementation over GF(2^8). */
export interface MatrixKernel {
  readonly name: KernelName;
  /** Precomputes whatever the kernel needs for this `rows x k` row-major coefficient matrix. */
  compile(coefficients: Uint8Array, rows: number, k: number): MatrixApplier;
}
