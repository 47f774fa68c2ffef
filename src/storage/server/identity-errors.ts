/**
 * Errors of the storage server's identity and announcement: what an operator must fix before the server can be
 * announced (or started).
 *
 * @module
 */
import { LafsError } from '../../errors.js';

/** The node's storage identity (TLS key, certificate, swissnum) does not exist and was not to be created. */
export class StorageIdentityMissingError extends LafsError {
  constructor(
    readonly privateDir: string,
    readonly missing: readonly string[],
  ) {
    super(
      'ERR_STORAGE_IDENTITY_MISSING',
      'config',
      `${privateDir} has no storage server identity yet (missing: ${missing.join(', ')}); ` +
        'run the node once ("lafs run") or let the command create it',
    );
  }
}

/** The identity files exist but cannot be used (unreadable, empty or malformed swissnum). */
export class StorageIdentityError extends LafsError {
  constructor(
    readonly path: string,
    reason: string,
    options: { cause?: unknown } = {},
  ) {
    super('ERR_STORAGE_IDENTITY', 'config', `${path}: ${reason}`, options);
  }
}

/**
 * `tub.location` gives no address clients could use for the storage server (disabled, only `UNREACHABLE`,
 * `AUTO` without a known port, or hints of a scheme NURLs cannot carry).
 */
export class UnannounceableLocationError extends LafsError {
  constructor(reason: string) {
    super('ERR_STORAGE_LOCATION', 'config', `cannot announce the storage server: ${reason}`);
  }
}
