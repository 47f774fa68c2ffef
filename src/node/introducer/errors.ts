/**
 * Errors of the introducer: its URL, the node key, signed announcements, the announcement cache and the HTTPS
 * protocol between introducer clients and the introducer service.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** An introducer URL (`[client] introducer.furl`, `private/introducers.yaml`) cannot be used. */
export class IntroducerUrlError extends LafsError {
  constructor(
    /** The offending URL with its secret swissnum redacted. */
    readonly url: string,
    reason: string,
  ) {
    super('ERR_INTRODUCER_URL', 'config', `bad introducer URL ${url}: ${reason}`);
  }
}

/** `private/node.privkey` is malformed or readable by others. */
export class NodeKeyError extends LafsError {
  constructor(
    readonly path: string,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super('ERR_NODE_KEY', 'config', `${path}: ${reason}`, options);
  }
}

/**
 * A signed announcement is malformed, too large, or its signature does not verify. `where` names its source
 * (e.g. `announcement 3 from the introducer`).
 */
export class AnnouncementRejectedError extends LafsError {
  constructor(
    readonly where: string,
    readonly reason: string,
    options: LafsErrorOptions = {},
    code = 'ERR_ANNOUNCEMENT_REJECTED',
  ) {
    super(code, 'input', `${where}: ${reason}`, options);
  }
}

/** The signature of an otherwise well-formed announcement does not verify with its claimed key. */
export class BadSignatureError extends AnnouncementRejectedError {
  constructor(where: string, keyString: string) {
    super(where, `the signature does not verify with key ${keyString}`, {}, 'ERR_ANNOUNCEMENT_BAD_SIGNATURE');
  }
}

/** `introducer_*_cache.yaml` cannot be parsed (the client then starts without it). */
export class IntroducerCacheError extends LafsError {
  constructor(
    readonly path: string,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super('ERR_INTRODUCER_CACHE', 'input', `${path}: ${reason}`, options);
  }
}

/** The introducer answered a request with an error status or an unparseable body. */
export class IntroducerProtocolError extends LafsError {
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super(
      'ERR_INTRODUCER_PROTOCOL',
      'remote',
      `${operation}: ${status === undefined ? '' : `HTTP ${status}: `}${reason}`,
      options,
    );
  }
}
