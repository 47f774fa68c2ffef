/**
 * Errors of CHK (immutable file) encoding and decoding.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** Share bytes do not follow Tahoe's immutable share layout (bad version, offsets out of order or too large). */
export class ShareLayoutError extends LafsError {
  /** Byte offset in the share where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number, options: LafsErrorOptions = {}) {
    super('ERR_SHARE_LAYOUT', 'input', message, options);
    this.offset = offset;
  }
}

/** A URI extension block cannot be parsed or is inconsistent with itself or the cap. */
export class UriExtensionError extends LafsError {
  /** The UEB field at fault, when one is. */
  readonly field: string | undefined;
  constructor(message: string, field?: string, options: LafsErrorOptions = {}) {
    super('ERR_BAD_UEB', 'input', message, options);
    this.field = field;
  }
}

/** One share failed validation (bad UEB hash, bad hash chain, corrupt block, truncated) and was set aside. */
export class CorruptShareError extends LafsError {
  /** The share number. */
  readonly shareNumber: number;
  /** The segment being read when the corruption was found, if any. */
  readonly segment: number | undefined;
  constructor(message: string, shareNumber: number, segment?: number, options: LafsErrorOptions = {}) {
    super('ERR_CORRUPT_SHARE', 'remote', message, options);
    this.shareNumber = shareNumber;
    this.segment = segment;
  }
}

/** Fewer than k valid shares were available; `failures` says what went wrong with each share that was tried. */
export class NotEnoughSharesError extends LafsError {
  readonly needed: number;
  readonly failures: readonly LafsError[];
  constructor(
    message: string,
    needed: number,
    failures: readonly LafsError[],
    options: LafsErrorOptions = {},
  ) {
    super('ERR_NOT_ENOUGH_SHARES', 'remote', message, options);
    this.needed = needed;
    this.failures = failures;
  }
}

/** The k verified shares decoded to ciphertext that does not match the file's crypttext hash tree. */
export class CorruptFileError extends LafsError {
  readonly segment: number;
  constructor(message: string, segment: number, options: LafsErrorOptions = {}) {
    super('ERR_CORRUPT_FILE', 'remote', message, options);
    this.segment = segment;
  }
}

/**
 * The plaintext source cannot be used as given: a single-use stream where two passes are needed, a size that
 * differs from the declared one, or content that changed between the key pass and the encoding pass.
 */
export class ChkSourceError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_CHK_SOURCE', 'input', message, options);
  }
}
