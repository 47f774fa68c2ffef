/**
 * Errors raised while parsing or deriving capabilities.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/**
 * A capability string is malformed. The message names the cap only in redacted form (its type prefix and
 * length), the field that is wrong and its character position, never the secret itself.
 */
export class MalformedCapError extends LafsError {
  /** The field that failed (`"prefix"`, `"key"`, `"needed"`, ...). */
  readonly field: string;
  /** Character offset in the cap string where the bad field starts. */
  readonly position: number;
  constructor(message: string, field: string, position: number, options: LafsErrorOptions = {}) {
    super('ERR_MALFORMED_CAP', 'input', message, options);
    this.field = field;
    this.position = position;
  }
}

/** A valid capability was used where another kind is required (e.g. a mutable cap given to the CHK decoder). */
export class WrongCapKindError extends LafsError {
  /** The kind that was given. */
  readonly actual: string;
  constructor(message: string, actual: string, options: LafsErrorOptions = {}) {
    super('ERR_WRONG_CAP_KIND', 'input', message, options);
    this.actual = actual;
  }
}
