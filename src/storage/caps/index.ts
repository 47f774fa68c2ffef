/**
 * Tahoe-LAFS capabilities: types, parsing, formatting and attenuation.
 *
 * @module
 */

export {
  capStorageIndex,
  fileCapOf,
  isMutableCap,
  isVerifierCap,
  isWriteCap,
  toReadOnlyCap,
  toVerifierCap,
  wrapAsDirectoryCap,
} from './derive.js';
export { MalformedCapError, WrongCapKindError } from './errors.js';
export { formatCap } from './format.js';
export { parseCap } from './parse.js';
export { redactCap } from './redact.js';
export * from './types.js';
