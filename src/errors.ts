/**
 * The error hierarchy shared by every layer.
 *
 * Every error lafs throws on purpose is a {@link LafsError} with a stable `code` (for scripts and tests) and a
 * coarse `kind` (for callers deciding what to do: fix the config, retry the network, distrust the peer, report a
 * bug). Each subsystem adds one subclass per condition in its own `errors.ts`.
 *
 * @module
 */

/**
 * What sort of failure an error is, independent of where it happened.
 * - `config`: local configuration or command-line input is wrong; the user must change it.
 * - `input`: data handed to the library (a capability, a share, a descriptor) is malformed.
 * - `privacy`: the request would reveal the user's network location; refused on purpose.
 * - `network`: a transport failed (refused, timed out, Tor/I2P could not reach the peer); may succeed later.
 * - `remote`: the peer answered, but wrongly (bad protocol, corrupt data, refused request).
 * - `aborted`: the caller cancelled the operation (AbortSignal) or a deadline passed.
 * - `bug`: an internal invariant failed.
 */
export type ErrorKind = 'config' | 'input' | 'privacy' | 'network' | 'remote' | 'aborted' | 'bug';

/** Options accepted by every {@link LafsError} constructor. */
export interface LafsErrorOptions {
  /** The underlying error, kept for diagnosis (`error.cause`). */
  cause?: unknown;
}

/** Base class of every error lafs throws on purpose. */
export class LafsError extends Error {
  /** A stable, machine-readable identifier such as `ERR_CONFIG` or `ERR_PRIVACY`. */
  readonly code: string;
  /** The coarse category of the failure. */
  readonly kind: ErrorKind;

  constructor(code: string, kind: ErrorKind, message: string, options: LafsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.kind = kind;
    this.name = new.target.name;
  }
}

/** Raised when an operation is cancelled through its AbortSignal or its deadline passes. */
export class AbortError extends LafsError {
  constructor(message = 'the operation was aborted', options: LafsErrorOptions = {}) {
    super('ERR_ABORTED', 'aborted', message, options);
  }
}

/**
 * Raised when a request would reveal the node's network location in anonymous mode
 * (`[node] reveal-IP-address = false`). The message names the offending key or hint, its value and the safe
 * alternative.
 */
export class PrivacyError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_PRIVACY', 'privacy', message, options);
  }
}
