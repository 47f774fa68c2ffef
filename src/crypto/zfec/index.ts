/**
 * A Reed-Solomon erasure codec over GF(2^8) that is byte-identical to zfec, the codec of Tahoe-LAFS
 * (Tahoe `docs/specifications/file-encoding.rst`; zfec's `fec.c`): systematic, any 1 <= k <= n <= 256.
 *
 * ```ts
 * const codec = createCodec(3, 10);
 * const shares = codec.encode([b0, b1, b2]);               // 10 blocks; shares[0..2] equal b0..b2
 * const [p0, p1, p2] = codec.decode([shares[7]!, shares[2]!, shares[9]!], [7, 2, 9]);
 * ```
 *
 * @module
 */
import { type BufferedErasureCodec, ZfecCodec } from './codec.js';
import { ZfecWasmUnavailableError } from './errors.js';
import { jsKernel } from './kernel-js.js';
import { wasmKernel, wasmKernelAvailable } from './kernel-wasm.js';

export type { BufferedErasureCodec, ErasureCodec } from './codec.js';
export { ZfecInternalError, ZfecWasmUnavailableError } from './errors.js';
export type { KernelName } from './kernel.js';
export { wasmKernelAvailable, wasmKernelVariant } from './kernel-wasm.js';

/** Options for {@link createCodec}. */
export interface CodecOptions {
  /**
   * Which kernel computes the products: `'wasm'` (WebAssembly SIMD; throws `ZfecWasmUnavailableError` where the
   * runtime lacks it), `'js'` (portable TypeScript), or `'auto'` (the default: wasm when available, else js).
   * All produce identical bytes.
   */
  implementation?: 'auto' | 'wasm' | 'js';
}

/**
 * Creates a k-of-n zfec-compatible codec. Throws `TypeError`/`RangeError` unless k and n are integers with
 * 1 <= k <= n <= 256.
 */
export function createCodec(k: number, n: number, options: CodecOptions = {}): BufferedErasureCodec {
  const implementation = options.implementation ?? 'auto';
  if (implementation !== 'auto' && implementation !== 'wasm' && implementation !== 'js') {
    throw new RangeError(
      `zfec: implementation must be 'auto', 'wasm' or 'js', got ${String(implementation)}`,
    );
  }
  let kernel = jsKernel;
  if (implementation !== 'js') {
    if (wasmKernelAvailable()) kernel = wasmKernel;
    else if (implementation === 'wasm') {
      throw new ZfecWasmUnavailableError(
        "zfec: implementation 'wasm' was requested, but this runtime cannot compile WebAssembly SIMD; use 'auto' or 'js'",
      );
    }
  }
  return new ZfecCodec(k, n, kernel);
}
