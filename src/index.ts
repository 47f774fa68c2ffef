/**
 * lafs as a library: the public API at the package root.
 *
 * @module
 */
export { AbortError, type ErrorKind, LafsError, type LafsErrorOptions, PrivacyError } from './errors.js';
export type { AbortOptions } from './util/abort.js';
