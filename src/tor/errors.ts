/**
 * Errors raised by the Tor control machinery: one subclass per condition, each with a stable `code`.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../errors.js';

/** A control-port reply exceeded one of the parser's caps (line length, data block size, lines per reply). */
export class TorReplyTooLargeError extends LafsError {
  /** Which cap was hit: `line`, `data` or `lines`. */
  readonly what: 'line' | 'data' | 'lines';
  /** The cap that was exceeded (bytes for `line`/`data`, a count for `lines`). */
  readonly limit: number;

  constructor(what: 'line' | 'data' | 'lines', limit: number, options: LafsErrorOptions = {}) {
    const unit =
      what === 'lines' ? 'lines per reply' : what === 'line' ? 'bytes per line' : 'bytes per data block';
    super(
      'ERR_TOR_REPLY_TOO_LARGE',
      'remote',
      `Tor control reply exceeds the limit of ${limit} ${unit}`,
      options,
    );
    this.what = what;
    this.limit = limit;
  }
}

/** Tor (or whatever listens on the control port) sent bytes that are not a well-formed control-protocol reply. */
export class TorProtocolError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_TOR_PROTOCOL', 'remote', message, options);
  }
}

/** Tor answered a command with an error status (4xx/5xx), control-spec section 4. */
export class TorControlError extends LafsError {
  /** The three-digit status code, e.g. 552. */
  readonly status: number;
  /** The command keyword that failed, e.g. `ADD_ONION`. */
  readonly command: string;
  /** Tor's text after the status code (from the reply's last line). */
  readonly replyText: string;

  constructor(status: number, command: string, replyText: string, options: LafsErrorOptions = {}) {
    super('ERR_TOR_CONTROL', 'remote', `Tor rejected ${command}: ${status} ${replyText}`, options);
    this.status = status;
    this.command = command;
    this.replyText = replyText;
  }
}

/** The control connection closed (or failed) while calls were pending, or a call was made after it closed. */
export class TorConnectionClosedError extends LafsError {
  constructor(message = 'the Tor control connection is closed', options: LafsErrorOptions = {}) {
    super('ERR_TOR_CONNECTION_CLOSED', 'network', message, options);
  }
}

/** No offered authentication method could be used, or Tor refused our credentials. */
export class TorAuthenticationError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_TOR_AUTH', 'config', message, options);
  }
}

/**
 * SAFECOOKIE: the server's hash does not prove knowledge of the cookie, so the process on the control port is not
 * the Tor that wrote the cookie file (control-spec 3.24). We refuse to authenticate to it.
 */
export class TorSafeCookieMismatchError extends LafsError {
  constructor(cookieFile: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_TOR_SAFECOOKIE_MISMATCH',
      'remote',
      `the control port's SAFECOOKIE server hash does not match the cookie in ${cookieFile}: ` +
        'it is not the Tor that wrote that cookie; refusing to authenticate',
      options,
    );
  }
}

/** The `tor` executable could not be started because it does not exist or is not executable. */
export class TorExecutableNotFoundError extends LafsError {
  /** The executable that was tried. */
  readonly executable: string;

  constructor(executable: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_TOR_NOT_FOUND',
      'config',
      `cannot run the Tor executable ${JSON.stringify(executable)}: install tor or set its path`,
      options,
    );
    this.executable = executable;
  }
}

/** A launched tor exited before it was ready (or was not expected to exit). Carries its last log lines. */
export class TorExitedError extends LafsError {
  /** The exit code, or `null` when it was killed by a signal. */
  readonly exitCode: number | null;
  /** The terminating signal, if any. */
  readonly exitSignal: string | null;
  /** The last lines tor wrote to stdout/stderr. */
  readonly lastLogLines: readonly string[];

  constructor(
    exitCode: number | null,
    exitSignal: string | null,
    lastLogLines: readonly string[],
    options: LafsErrorOptions = {},
  ) {
    const how = exitSignal ? `was killed by ${exitSignal}` : `exited with code ${exitCode}`;
    const log = lastLogLines.length > 0 ? `; its last log lines:\n  ${lastLogLines.join('\n  ')}` : '';
    super('ERR_TOR_EXITED', 'config', `tor ${how} before it was ready${log}`, options);
    this.exitCode = exitCode;
    this.exitSignal = exitSignal;
    this.lastLogLines = lastLogLines;
  }
}

/** Tor reported no bootstrap progress for longer than the allowed interval. */
export class TorBootstrapTimeoutError extends LafsError {
  /** The last progress percentage seen. */
  readonly progress: number;
  /** The last bootstrap tag seen (e.g. `conn`). */
  readonly tag: string;

  constructor(
    timeoutMs: number,
    progress: number,
    tag: string,
    summary: string,
    options: LafsErrorOptions = {},
  ) {
    super(
      'ERR_TOR_BOOTSTRAP_TIMEOUT',
      'network',
      `Tor made no bootstrap progress for ${timeoutMs} ms; stuck at ${progress}% (${tag}: ${summary})`,
      options,
    );
    this.progress = progress;
    this.tag = tag;
  }
}

/** No control port could be reached and authenticated; `attempts` says what was tried and why each failed. */
export class TorControlPortUnavailableError extends LafsError {
  /** Each descriptor tried, with the reason it failed. */
  readonly attempts: readonly { descriptor: string; error: string }[];

  constructor(attempts: readonly { descriptor: string; error: string }[], options: LafsErrorOptions = {}) {
    const list = attempts.map((a) => `${a.descriptor} (${a.error})`).join('; ');
    super('ERR_TOR_NO_CONTROL_PORT', 'config', `no usable Tor control port; tried: ${list}`, options);
    this.attempts = attempts;
  }
}

/** A control-port descriptor such as `tcp:127.0.0.1:9051` or `unix:/run/tor/control` is malformed. */
export class TorControlDescriptorError extends LafsError {
  /** The descriptor as given. */
  readonly descriptor: string;

  constructor(descriptor: string, reason: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_TOR_CONTROL_DESCRIPTOR',
      'config',
      `bad Tor control port ${JSON.stringify(descriptor)}: ${reason}`,
      options,
    );
    this.descriptor = descriptor;
  }
}

/** A v3 onion address (or service id) is malformed: wrong length, alphabet, version or checksum. */
export class OnionAddressError extends LafsError {
  /** The address as given. */
  readonly address: string;

  constructor(address: string, reason: string, options: LafsErrorOptions = {}) {
    super('ERR_ONION_ADDRESS', 'input', `bad onion address ${JSON.stringify(address)}: ${reason}`, options);
    this.address = address;
  }
}

/** An onion service private key (string or key file) is malformed or unsafely stored. */
export class OnionKeyError extends LafsError {
  /** Where the key came from (a file path or `argument`). */
  readonly source: string;

  constructor(source: string, reason: string, options: LafsErrorOptions = {}) {
    super('ERR_ONION_KEY', 'input', `bad onion service key from ${source}: ${reason}`, options);
    this.source = source;
  }
}

/** An onion client-authorization key or key file (`.auth`, `.auth_private`) is malformed or unsafely stored. */
export class OnionClientAuthError extends LafsError {
  /** Where the key came from (a file path, with a line number when known). */
  readonly source: string;

  constructor(source: string, reason: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_ONION_CLIENT_AUTH',
      'config',
      `bad onion client authorization key in ${source}: ${reason}`,
      options,
    );
    this.source = source;
  }
}

/** `[tor] enabled = false`, yet something asked for Tor. */
export class TorDisabledError extends LafsError {
  constructor(what: string, options: LafsErrorOptions = {}) {
    super('ERR_TOR_DISABLED', 'config', `${what} needs Tor, but [tor] enabled = false`, options);
  }
}

/** Tor offers no SOCKS port lafs can use (none configured or listening, or only a unix socket). */
export class TorSocksUnavailableError extends LafsError {
  constructor(reason: string, options: LafsErrorOptions = {}) {
    super('ERR_TOR_NO_SOCKS', 'config', `no usable Tor SOCKS port: ${reason}`, options);
  }
}

/** `onion.client_auth = true`, but the authorised-clients directory lists no client, so no one could connect. */
export class NoAuthorizedClientsError extends LafsError {
  /** The directory that was read. */
  readonly directory: string;

  constructor(directory: string, options: LafsErrorOptions = {}) {
    super(
      'ERR_ONION_NO_AUTHORIZED_CLIENTS',
      'config',
      `[tor] onion.client_auth = true, but ${directory} holds no *.auth file: no client could reach the ` +
        'service; add one "descriptor:x25519:<public key>" file per client, or set onion.client_auth = false',
      options,
    );
    this.directory = directory;
  }
}
