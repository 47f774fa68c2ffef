/**
 * Errors of the storage server's request handling that have no backend or wire counterpart.
 *
 * @module
 */
import { LafsError } from '../../errors.js';

/** A request body exceeded the cap for its endpoint (GBS: 413). */
export class BodyTooLargeError extends LafsError {
  constructor(
    readonly limit: number,
    readonly what: string,
  ) {
    super('ERR_STORAGE_BODY_TOO_LARGE', 'input', `${what} body exceeds the ${limit}-byte limit`);
  }
}

/** The server is holding as many buffered request bytes as it allows; the client should retry (GBS: 503). */
export class ServerBusyError extends LafsError {
  constructor(readonly limit: number) {
    super(
      'ERR_STORAGE_BUSY',
      'network',
      `storage server is busy: more than ${limit} request bytes in flight`,
    );
  }
}
