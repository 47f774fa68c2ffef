/**
 * Errors raised while parsing endpoint descriptors and while dialling peers.
 *
 * @module
 */
import { type ErrorKind, LafsError, type LafsErrorOptions, PrivacyError } from '../errors.js';

/** Where a {@link DescriptorError} came from and what the parser wanted there. */
export interface DescriptorErrorDetails {
  /** The whole descriptor (or comma-separated list) that failed to parse. */
  descriptor: string;
  /** The 0-based character position in `descriptor` where the problem starts. */
  position: number;
  /** What the parser expected at `position`, e.g. `a port number 1-65535`. */
  expected: string;
  /** Whether the descriptor came from local configuration (`config`, the default) or from a peer (`input`). */
  kind?: 'config' | 'input';
  /** An extra sentence for the user, e.g. a did-you-mean suggestion. */
  hint?: string;
}

/**
 * A connection hint, listen descriptor or location list is malformed (Twisted endpoint-descriptor syntax,
 * Tahoe-LAFS `docs/configuration.rst` "tub.port", "tub.location", "Connection Management"). The message names
 * the descriptor, the 0-based position and what was expected there.
 */
export class DescriptorError extends LafsError {
  readonly descriptor: string;
  readonly position: number;
  readonly expected: string;

  constructor(details: DescriptorErrorDetails, options: LafsErrorOptions = {}) {
    const extra = details.hint === undefined ? '' : ` (${details.hint})`;
    super(
      'ERR_DESCRIPTOR',
      details.kind ?? 'config',
      `bad endpoint descriptor ${JSON.stringify(details.descriptor)} at position ${details.position}: ` +
        `expected ${details.expected}${extra}`,
      options,
    );
    this.descriptor = details.descriptor;
    this.position = details.position;
    this.expected = details.expected;
  }
}

/**
 * No connector may dial a hint: its handler is `disabled` in `[connections]`, or no registered connector
 * accepts its scheme (Tahoe-LAFS `docs/configuration.rst`, "[connections]").
 */
export class NoConnectorError extends LafsError {
  readonly hint: string;
  constructor(hint: string, reason: string, options: LafsErrorOptions = {}) {
    super('ERR_NO_CONNECTOR', 'config', `cannot dial ${hint}: ${reason}`, options);
    this.hint = hint;
  }
}

/** A direct TCP connection failed (refused, unreachable, reset); `errno` is Node's code such as `ECONNREFUSED`. */
export class TcpConnectError extends LafsError {
  readonly host: string;
  readonly port: number;
  readonly errno: string | undefined;
  constructor(host: string, port: number, errno: string | undefined, options: LafsErrorOptions = {}) {
    super(
      'ERR_TCP_CONNECT',
      'network',
      `TCP connection to ${host}:${port} failed${errno === undefined ? '' : ` (${errno})`}`,
      options,
    );
    this.host = host;
    this.port = port;
    this.errno = errno;
  }
}

/** None of the candidate Tor SOCKS ports answered; the message lists each one tried and why it failed. */
export class SocksProxyUnavailableError extends LafsError {
  /** `host:port` of each proxy tried, in order, with its failure. */
  readonly tried: readonly { proxy: string; error: string }[];
  constructor(tried: readonly { proxy: string; error: string }[], options: LafsErrorOptions = {}) {
    super(
      'ERR_SOCKS_UNAVAILABLE',
      'network',
      `no Tor SOCKS proxy answered; tried ${tried.map((t) => `${t.proxy} (${t.error})`).join(', ')}. ` +
        'Start Tor, or set [tor] socks.port in tahoe.cfg',
      options,
    );
    this.tried = tried;
  }
}

/** The fields of a {@link SocksReplyError}. */
export interface SocksReplyDetails {
  /** The REP byte of the SOCKS5 reply. */
  reply: number;
  /** The `host:port` that was asked for. */
  destination: string;
  /** What the code means, e.g. `onion service descriptor not found`. */
  reason: string;
  /** Defaults to `network`; `config` for client-authorization problems, `input` for a bad address. */
  kind?: ErrorKind;
}

/**
 * The SOCKS5 proxy refused the CONNECT request (RFC 1928 section 6 reply codes). `reply` is the REP byte.
 */
export class SocksReplyError extends LafsError {
  readonly reply: number;
  readonly destination: string;
  readonly reason: string;
  constructor(details: SocksReplyDetails, options: LafsErrorOptions = {}, code = 'ERR_SOCKS_REPLY') {
    const hex = `0x${details.reply.toString(16).padStart(2, '0')}`;
    super(
      code,
      details.kind ?? 'network',
      `SOCKS proxy could not reach ${details.destination}: ${details.reason} (reply ${hex})`,
      options,
    );
    this.reply = details.reply;
    this.destination = details.destination;
    this.reason = details.reason;
  }
}

/**
 * Tor could not reach an onion service: one of the extended SOCKS5 reply codes 0xF0-0xF7 (torspec proposal 304,
 * sent when the SocksPort has the `ExtendedErrors` flag).
 */
export class OnionServiceError extends SocksReplyError {
  constructor(details: SocksReplyDetails, options: LafsErrorOptions = {}) {
    super(details, options, 'ERR_ONION_SERVICE');
  }
}

/** The SOCKS proxy's answers broke the protocol (wrong version, refused authentication, closed early). */
export class SocksProtocolError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_SOCKS_PROTOCOL', 'remote', message, options);
  }
}

/**
 * A raw IP address was to be handed to Tor. Legal for Tor, but refused unless explicitly allowed
 * (`dangerouslyAllowRawIp`), as Arti separates `IntoTorAddr` from `DangerouslyIntoTorAddr`: an IP usually means a
 * local DNS lookup happened somewhere, and it sends traffic out through an exit relay.
 */
export class RawIpToTorError extends PrivacyError {
  readonly host: string;
  constructor(host: string, options: LafsErrorOptions = {}) {
    super(
      `refusing to send raw IP address ${host} to Tor: use a host name or a .onion address, ` +
        'or set dangerouslyAllowRawIp to opt in',
      options,
    );
    this.host = host;
  }
}
