/**
 * Errors of the erasure codec. Bad arguments (k, n, block counts and lengths, share numbers) are reported as
 * labelled `TypeError`/`RangeError`, as noble does; these classes cover the rest.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** `implementation: 'wasm'` was requested but this runtime cannot compile the WebAssembly SIMD kernel. */
export class ZfecWasmUnavailableError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_ZFEC_WASM_UNAVAILABLE', 'config', message, options);
  }
}

/** An invariant of the codec failed (for example a matrix that must be invertible was not): a lafs bug. */
export class ZfecInternalError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_ZFEC_INTERNAL', 'bug', `zfec internal error: ${message}`, options);
  }
}
