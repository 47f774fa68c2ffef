/**
 * Errors of the web gateway. Each carries the HTTP status Tahoe-LAFS's web API answers with for that condition
 * (`docs/frontends/webapi.rst`, `web/common.py` `humanize_exception`), and a message safe to send to the client
 * (caps only in redacted form).
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/**
 * Base class: a request the gateway answers with `status` and the message as `text/plain`. All are about the
 * request (kind `input`); failures of the grid keep their own errors and statuses.
 */
export class GatewayError extends LafsError {
  /** The HTTP status code of the answer. */
  readonly status: number;
  constructor(code: string, status: number, message: string, options: LafsErrorOptions = {}) {
    super(code, 'input', message, options);
    this.status = status;
  }
}

/** 400: the request is malformed (bad cap, bad query argument, bad multipart body). */
export class BadRequestError extends GatewayError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_GATEWAY_BAD_REQUEST', 400, message, options);
  }
}

/** 404: no such page. */
export class NotFoundError extends GatewayError {
  constructor(message: string) {
    super('ERR_GATEWAY_NOT_FOUND', 404, message);
  }
}

/** 405: the path exists but not with this method. `allow` lists the methods that work. */
export class MethodNotAllowedError extends GatewayError {
  constructor(
    method: string,
    path: string,
    readonly allow: readonly string[],
  ) {
    super('ERR_GATEWAY_METHOD', 405, `${method} is not supported on ${path} (use ${allow.join(', ')})`);
  }
}

/** 413: the request body is larger than the gateway accepts. */
export class BodyTooLargeError extends GatewayError {
  constructor(readonly limit: number) {
    super('ERR_GATEWAY_BODY_TOO_LARGE', 413, `the request body is larger than the limit of ${limit} bytes`);
  }
}

/** 416: a `Range` starts at or after the end of the file (webapi.rst "Reading a File"). */
export class RangeNotSatisfiableError extends GatewayError {
  constructor(
    readonly range: string,
    readonly size: number,
  ) {
    super(
      'ERR_GATEWAY_RANGE',
      416,
      `the range ${JSON.stringify(range)} starts beyond the file's ${size} bytes`,
    );
  }
}

/** 501: a valid cap of a kind this gateway cannot serve yet (mutable files, directories). */
export class NotSupportedError extends GatewayError {
  constructor(message: string) {
    super('ERR_GATEWAY_NOT_SUPPORTED', 501, message);
  }
}
