/**
 * The kernels every codec test runs against: both, always. If this runtime cannot run WebAssembly SIMD,
 * creating a 'wasm' codec throws and the wasm tests fail loudly rather than being skipped.
 *
 * @module
 */
import type { KernelName } from '../../../src/crypto/zfec/index.js';

/** The kernels under test. */
export const implementations: readonly KernelName[] = ['js', 'wasm'];
