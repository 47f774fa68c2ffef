/**
 * Errors raised by the share storage backend (one class per condition, each with a stable `code`).
 * The HTTP layer maps them to the status codes of http-storage-node-protocol.rst.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** A storage index was not 16 bytes, or its base32 text did not decode. */
export class InvalidStorageIndexError extends LafsError {
  constructor(
    readonly value: string,
    options: LafsErrorOptions = {},
  ) {
    super(
      'ERR_STORAGE_INDEX_INVALID',
      'input',
      `invalid storage index ${JSON.stringify(value)}: expected 26 base32 characters (16 bytes)`,
      options,
    );
  }
}

/** A share number was outside 0..255 (the range the protocol's schemas allow). */
export class InvalidShareNumberError extends LafsError {
  constructor(
    readonly value: unknown,
    options: LafsErrorOptions = {},
  ) {
    super(
      'ERR_STORAGE_SHARE_NUMBER_INVALID',
      'input',
      `invalid share number ${String(value)}: expected an integer 0..255`,
      options,
    );
  }
}

/** No complete share with this storage index and share number is stored here. */
export class ShareNotFoundError extends LafsError {
  constructor(
    readonly storageIndex: string,
    readonly shareNumber: number | undefined,
  ) {
    super(
      'ERR_STORAGE_SHARE_NOT_FOUND',
      'input',
      shareNumber === undefined
        ? `no shares stored for storage index ${storageIndex}`
        : `no share ${shareNumber} stored for storage index ${storageIndex}`,
    );
  }
}

/** No upload is in progress for this share (never allocated, aborted, timed out, or already complete). */
export class UploadNotFoundError extends LafsError {
  constructor(
    readonly storageIndex: string,
    readonly shareNumber: number,
    readonly alreadyComplete: boolean,
  ) {
    super(
      'ERR_STORAGE_UPLOAD_NOT_FOUND',
      'input',
      alreadyComplete
        ? `share ${shareNumber} of ${storageIndex} is already complete; it cannot be written or aborted`
        : `no upload in progress for share ${shareNumber} of ${storageIndex}`,
    );
  }
}

/** The upload secret presented does not match the one the upload was allocated with. */
export class UploadSecretMismatchError extends LafsError {
  constructor(storageIndex: string, shareNumber: number) {
    super(
      'ERR_STORAGE_UPLOAD_SECRET',
      'input',
      `wrong upload secret for share ${shareNumber} of ${storageIndex}`,
    );
  }
}

/** Data written over an already written range differs from what is there (GBS: 409 Conflict). */
export class ConflictingWriteError extends LafsError {
  constructor(
    readonly begin: number,
    readonly end: number,
  ) {
    super(
      'ERR_STORAGE_CONFLICTING_WRITE',
      'input',
      `bytes ${begin}..${end} differ from data already written there`,
    );
  }
}

/** A write reaches beyond the size allocated for an immutable share, or beyond the maximum mutable share size. */
export class WriteOutOfBoundsError extends LafsError {
  constructor(
    readonly offset: number,
    readonly length: number,
    readonly limit: number,
  ) {
    super(
      'ERR_STORAGE_WRITE_OUT_OF_BOUNDS',
      'input',
      `write of ${length} bytes at offset ${offset} exceeds the share size limit ${limit}`,
    );
  }
}

/** The write enabler presented does not match the one recorded in an existing mutable share (GBS: 401). */
export class BadWriteEnablerError extends LafsError {
  constructor(
    readonly storageIndex: string,
    readonly shareNumber: number,
  ) {
    super(
      'ERR_STORAGE_BAD_WRITE_ENABLER',
      'input',
      `bad write enabler for share ${shareNumber} of slot ${storageIndex}`,
    );
  }
}

/** A container file on disk is not a share container we understand (bad magic/version, truncated, inconsistent). */
export class CorruptContainerError extends LafsError {
  constructor(
    readonly path: string,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super('ERR_STORAGE_CORRUPT_CONTAINER', 'input', `share container ${path}: ${reason}`, options);
  }
}

/** A write's body did not carry exactly the number of bytes its range announced. */
export class WriteLengthMismatchError extends LafsError {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(
      'ERR_STORAGE_WRITE_LENGTH',
      'input',
      `the body carried ${received > expected ? `more than ${expected}` : received} bytes; its range announced ${expected}`,
    );
  }
}

/** A share number is already used by a share of the other kind (immutable vs mutable) in this storage index. */
export class ShareKindConflictError extends LafsError {
  constructor(
    readonly storageIndex: string,
    readonly shareNumber: number,
  ) {
    super(
      'ERR_STORAGE_SHARE_KIND_CONFLICT',
      'input',
      `share ${shareNumber} of ${storageIndex} already exists as a share of the other kind (immutable/mutable)`,
    );
  }
}

/** A `ShareReader` was used after `close()` (a bug in its owner). */
export class ShareReaderClosedError extends LafsError {
  constructor(readonly path: string) {
    super('ERR_STORAGE_READER_CLOSED', 'bug', `share reader for ${path} was used after it was closed`);
  }
}
