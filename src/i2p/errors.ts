/**
 * Errors raised by the SAM v3 client and the i2pd launcher.
 *
 * A SAM bridge answers every command with a `RESULT=` value (SAM v3 spec, "SAM Replies"); each non-OK value maps
 * to one {@link SamError} subclass with a stable `code`, so callers can tell "the peer is not there"
 * ({@link SamCantReachPeerError}, a network problem worth retrying) from "you gave me garbage"
 * ({@link SamInvalidKeyError}).
 *
 * @module
 */
import { type ErrorKind, LafsError, type LafsErrorOptions } from '../errors.js';

/** The `RESULT=` values a SAM v3 bridge may send (SAM v3 spec; `KEY_NOT_FOUND` is NAMING LOOKUP's). */
export type SamResult =
  | 'OK'
  | 'CANT_REACH_PEER'
  | 'DUPLICATED_ID'
  | 'DUPLICATED_DEST'
  | 'I2P_ERROR'
  | 'INVALID_ID'
  | 'INVALID_KEY'
  | 'KEY_NOT_FOUND'
  | 'NOVERSION'
  | 'TIMEOUT'
  | 'ALREADY_ACCEPTING'
  | 'PEER_NOT_FOUND';

/** Base class of every failure reported by (or while talking to) a SAM bridge. */
export class SamError extends LafsError {
  /** The bridge's `RESULT=` value, or `undefined` when the failure was local (closed socket, bad reply). */
  readonly result: string | undefined;
  /** The bridge's optional `MESSAGE=` text. */
  readonly samMessage: string | undefined;

  constructor(
    code: string,
    kind: ErrorKind,
    message: string,
    result: string | undefined,
    samMessage?: string,
    options: LafsErrorOptions = {},
  ) {
    super(code, kind, message, options);
    this.result = result;
    this.samMessage = samMessage;
  }
}

/** Builds the human message for a SAM result: what was asked, what came back, and the bridge's own words. */
function describe(command: string, result: string, samMessage: string | undefined): string {
  return `SAM ${command} failed: RESULT=${result}${samMessage ? ` (${samMessage})` : ''}`;
}

/** `CANT_REACH_PEER`: the destination is unknown or unreachable (its LeaseSet was not found, or it refused). */
export class SamCantReachPeerError extends SamError {
  constructor(
    command: string,
    samMessage?: string,
    result: 'CANT_REACH_PEER' | 'PEER_NOT_FOUND' = 'CANT_REACH_PEER',
  ) {
    super('ERR_SAM_CANT_REACH_PEER', 'network', describe(command, result, samMessage), result, samMessage);
  }
}

/** `INVALID_KEY` or `KEY_NOT_FOUND`: a destination, private key or name was malformed or is not known. */
export class SamInvalidKeyError extends SamError {
  constructor(command: string, result: 'INVALID_KEY' | 'KEY_NOT_FOUND', samMessage?: string) {
    super('ERR_SAM_INVALID_KEY', 'input', describe(command, result, samMessage), result, samMessage);
  }
}

/** `INVALID_ID`: no session with that nickname exists on the bridge (it was closed, or never created). */
export class SamInvalidIdError extends SamError {
  constructor(command: string, samMessage?: string) {
    super(
      'ERR_SAM_INVALID_ID',
      'input',
      describe(command, 'INVALID_ID', samMessage),
      'INVALID_ID',
      samMessage,
    );
  }
}

/** `DUPLICATED_ID`: a session with that nickname already exists on the bridge. */
export class SamDuplicatedIdError extends SamError {
  constructor(command: string, samMessage?: string) {
    super(
      'ERR_SAM_DUPLICATED_ID',
      'config',
      describe(command, 'DUPLICATED_ID', samMessage),
      'DUPLICATED_ID',
      samMessage,
    );
  }
}

/** `DUPLICATED_DEST`: a session already uses that destination (private key) on the bridge. */
export class SamDuplicatedDestError extends SamError {
  constructor(command: string, samMessage?: string) {
    super(
      'ERR_SAM_DUPLICATED_DEST',
      'config',
      describe(command, 'DUPLICATED_DEST', samMessage),
      'DUPLICATED_DEST',
      samMessage,
    );
  }
}

/** `NOVERSION`: the bridge speaks none of the SAM versions we asked for (we need 3.1 or later). */
export class SamNoVersionError extends SamError {
  constructor(min: string, max: string, samMessage?: string) {
    super(
      'ERR_SAM_NOVERSION',
      'remote',
      `SAM bridge supports no version between ${min} and ${max}: RESULT=NOVERSION${samMessage ? ` (${samMessage})` : ''}`,
      'NOVERSION',
      samMessage,
    );
  }
}

/** `TIMEOUT`: the bridge itself gave up (for instance on a STREAM CONNECT). */
export class SamTimeoutError extends SamError {
  constructor(command: string, samMessage?: string) {
    super('ERR_SAM_TIMEOUT', 'network', describe(command, 'TIMEOUT', samMessage), 'TIMEOUT', samMessage);
  }
}

/** `I2P_ERROR` and any result this client does not know: a generic router-side failure. */
export class SamI2pError extends SamError {
  constructor(command: string, result: string, samMessage?: string) {
    super('ERR_SAM_I2P_ERROR', 'remote', describe(command, result, samMessage), result, samMessage);
  }
}

/** `ALREADY_ACCEPTING`: SAM 3.1 allows only one pending STREAM ACCEPT per session. */
export class SamAlreadyAcceptingError extends SamError {
  constructor(command: string, samMessage?: string) {
    super(
      'ERR_SAM_ALREADY_ACCEPTING',
      'bug',
      describe(command, 'ALREADY_ACCEPTING', samMessage),
      'ALREADY_ACCEPTING',
      samMessage,
    );
  }
}

/** The SAM connection closed (or failed) before a complete reply arrived. */
export class SamConnectionClosedError extends SamError {
  constructor(what: string, options: LafsErrorOptions = {}) {
    super('ERR_SAM_CLOSED', 'network', `SAM connection closed ${what}`, undefined, undefined, options);
  }
}

/** The bridge sent something that is not a valid SAM reply, or not the reply that was expected. */
export class SamProtocolError extends SamError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_SAM_PROTOCOL', 'remote', message, undefined, undefined, options);
  }
}

/** A reply line exceeded the configured cap before its newline arrived. */
export class SamLineTooLongError extends SamError {
  /** The cap in bytes. */
  readonly limit: number;
  constructor(limit: number) {
    super(
      'ERR_SAM_LINE_TOO_LONG',
      'remote',
      `SAM reply line exceeds ${limit} bytes without a newline`,
      undefined,
    );
    this.limit = limit;
  }
}

/** Maps a non-OK `RESULT=` value to its typed error. */
export function samErrorFor(command: string, result: string, samMessage?: string): SamError {
  switch (result) {
    case 'CANT_REACH_PEER':
    case 'PEER_NOT_FOUND':
      return new SamCantReachPeerError(command, samMessage, result);
    case 'INVALID_KEY':
    case 'KEY_NOT_FOUND':
      return new SamInvalidKeyError(command, result, samMessage);
    case 'INVALID_ID':
      return new SamInvalidIdError(command, samMessage);
    case 'DUPLICATED_ID':
      return new SamDuplicatedIdError(command, samMessage);
    case 'DUPLICATED_DEST':
      return new SamDuplicatedDestError(command, samMessage);
    case 'TIMEOUT':
      return new SamTimeoutError(command, samMessage);
    case 'ALREADY_ACCEPTING':
      return new SamAlreadyAcceptingError(command, samMessage);
    default:
      return new SamI2pError(command, result, samMessage);
  }
}

/** A malformed I2P destination, private key or base64/base32 string handed to the library. */
export class I2pKeyError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_I2P_KEY', 'input', message, options);
  }
}

/** The i2pd executable could not be started (missing, not executable). */
export class I2pdNotFoundError extends LafsError {
  /** The executable that was tried. */
  readonly executable: string;
  constructor(executable: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_I2PD_NOT_FOUND',
      'config',
      `cannot run i2pd executable ${JSON.stringify(executable)}; install i2pd or set its path`,
      options,
    );
    this.executable = executable;
  }
}

/** i2pd exited, or never answered SAM, while being launched; the message carries its last log lines. */
export class I2pdStartError extends LafsError {
  /** The last lines i2pd wrote (stdout, stderr and its log file). */
  readonly logTail: string[];
  constructor(message: string, logTail: string[], options: LafsErrorOptions = {}) {
    super(
      'ERR_I2PD_START',
      'network',
      logTail.length > 0 ? `${message}; last i2pd output:\n${logTail.join('\n')}` : message,
      options,
    );
    this.logTail = logTail;
  }
}

/** A private-key file is readable or writable by other users (it must be mode 0600 or stricter). */
export class I2pKeyFilePermissionError extends LafsError {
  /** The file. */
  readonly path: string;
  /** Its permission bits. */
  readonly mode: number;
  constructor(path: string, mode: number) {
    super(
      'ERR_I2P_KEY_PERMISSIONS',
      'config',
      `I2P private key file ${path} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}; ` +
        `other users must not read it: run chmod 600 ${JSON.stringify(path)}`,
    );
    this.path = path;
    this.mode = mode;
  }
}

/** Nothing answered SAM HELLO at the configured (or launched) bridge address. */
export class I2pSamUnavailableError extends LafsError {
  /** The bridge address tried, `host:port`. */
  readonly bridge: string;
  constructor(bridge: string, advice: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_I2P_SAM_UNAVAILABLE',
      'network',
      `no I2P SAM bridge answers at ${bridge}${advice ? `: ${advice}` : ''}`,
      options,
    );
    this.bridge = bridge;
  }
}

/** A `.i2p` name (address-book name or `.b32.i2p` address) that the router could not resolve. */
export class I2pNameNotFoundError extends LafsError {
  /** The name that was looked up. */
  readonly i2pName: string;
  constructor(name: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_I2P_NAME_NOT_FOUND',
      'network',
      `the I2P router could not resolve ${name} (unknown to its address book, or no LeaseSet published yet)`,
      options,
    );
    this.i2pName = name;
  }
}

/** The SAM session that outgoing (or published) I2P streams need could not be created. */
export class I2pSessionError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_I2P_SESSION', 'network', message, options);
  }
}

/** `[i2p]` settings (or `create-node --i2p-*` options) that cannot work; names the setting. */
export class I2pConfigError extends LafsError {
  /** The setting at fault, e.g. `[i2p] sam.port` or `--i2p-sam-port`. */
  readonly setting: string;
  constructor(setting: string, message: string, options: LafsErrorOptions = {}) {
    super('ERR_I2P_CONFIG', 'config', `${setting}: ${message}`, options);
    this.setting = setting;
  }
}
