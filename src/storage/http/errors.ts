/**
 * Errors of the GBS wire layer (HTTP storage protocol client, NURLs, certificates), each with a stable `code`.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** A NURL did not match url.rst's grammar; the message names the part that is wrong. */
export class NurlParseError extends LafsError {
  constructor(
    readonly nurl: string,
    reason: string,
  ) {
    super('ERR_NURL_INVALID', 'input', `invalid NURL: ${reason}`);
  }
}

/** A request or response body did not validate against the protocol's CDDL schema. */
export class SchemaError extends LafsError {
  constructor(
    readonly what: string,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super('ERR_GBS_SCHEMA', 'input', `${what}: ${reason}`, options);
  }
}

/** The server's certificate does not carry the public key pinned in the NURL. */
export class SpkiMismatchError extends LafsError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      'ERR_GBS_SPKI_MISMATCH',
      'remote',
      `storage server certificate SPKI hash ${actual} does not match the pinned ${expected}`,
    );
  }
}

/** The storage server answered with an HTTP error status. `status` is the code, `body` its explanation if any. */
export class GbsHttpError extends LafsError {
  constructor(
    readonly status: number,
    readonly operation: string,
    readonly body: string,
    code = 'ERR_GBS_HTTP',
  ) {
    super(
      code,
      'remote',
      `${operation}: storage server answered ${status}${body ? ` (${body.slice(0, 200)})` : ''}`,
    );
  }
}

/** 400: the server considered our request malformed. */
export class GbsBadRequestError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(400, operation, body, 'ERR_GBS_BAD_REQUEST');
  }
}

/** 401: wrong swissnum, upload secret or write enabler. */
export class GbsUnauthorizedError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(401, operation, body, 'ERR_GBS_UNAUTHORIZED');
  }
}

/** 404: no such share, storage index or upload. */
export class GbsNotFoundError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(404, operation, body, 'ERR_GBS_NOT_FOUND');
  }
}

/** 405: e.g. aborting an upload that already completed. */
export class GbsNotAllowedError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(405, operation, body, 'ERR_GBS_NOT_ALLOWED');
  }
}

/** 409: uploaded data conflicts with data already written; the client must abort the upload. */
export class GbsConflictError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(409, operation, body, 'ERR_GBS_CONFLICT');
  }
}

/** 413: the request body exceeded the server's cap. */
export class GbsTooLargeError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(413, operation, body, 'ERR_GBS_TOO_LARGE');
  }
}

/** 416: the Range or Content-Range was not acceptable. */
export class GbsRangeError extends GbsHttpError {
  constructor(operation: string, body: string) {
    super(416, operation, body, 'ERR_GBS_RANGE');
  }
}

/** Builds the typed error for an HTTP error status. */
export function errorForStatus(status: number, operation: string, body: string): GbsHttpError {
  switch (status) {
    case 400:
      return new GbsBadRequestError(operation, body);
    case 401:
      return new GbsUnauthorizedError(operation, body);
    case 404:
      return new GbsNotFoundError(operation, body);
    case 405:
      return new GbsNotAllowedError(operation, body);
    case 409:
      return new GbsConflictError(operation, body);
    case 413:
      return new GbsTooLargeError(operation, body);
    case 416:
      return new GbsRangeError(operation, body);
    default:
      return new GbsHttpError(status, operation, body);
  }
}
