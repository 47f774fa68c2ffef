/**
 * The kernels every codec test runs against.
 *
 * @module
 */
import type { KernelName } from '../../../src/crypto/zfec/index.js';

/** Every kernel this runtime offers (a kernel missing here would be reported by its own test). */
export const implementations: readonly KernelName[] = ['js'];
