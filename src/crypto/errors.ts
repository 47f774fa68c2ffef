/**
 * Errors raised by the pure crypto layer: malformed encodings and hash-tree validation failures.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../errors.js';

/** A base32 string is malformed: a character outside RFC 4648's lowercase alphabet, or non-canonical trailing bits. */
export class Base32Error extends LafsError {
  /** Zero-based character position of the problem in the input. */
  readonly position: number;
  constructor(message: string, position: number, options: LafsErrorOptions = {}) {
    super('ERR_BASE32', 'input', message, options);
    this.position = position;
  }
}

/** A netstring (`<decimal length>:<bytes>,`) is malformed or truncated. */
export class NetstringError extends LafsError {
  /** Byte offset in the input where parsing failed. */
  readonly position: number;
  constructor(message: string, position: number, options: LafsErrorOptions = {}) {
    super('ERR_NETSTRING', 'input', message, options);
    this.position = position;
  }
}

/**
 * A hash in a Merkle tree does not match the hash computed from its children or from the data it covers
 * (Tahoe's `BadHashError`): the data or the hashes supplied by an untrusted source are corrupt.
 */
export class BadHashError extends LafsError {
  /** Index of the first node (in Tahoe's breadth-first numbering, 0 = root) whose hash did not match. */
  readonly node: number;
  constructor(message: string, node: number, options: LafsErrorOptions = {}) {
    super('ERR_BAD_HASH', 'remote', message, options);
    this.node = node;
  }
}

/** Not enough hashes were supplied to connect a leaf to a trusted root (Tahoe's `NotEnoughHashesError`). */
export class NotEnoughHashesError extends LafsError {
  /** Index of the node whose hash was needed and missing. */
  readonly node: number;
  constructor(message: string, node: number, options: LafsErrorOptions = {}) {
    super('ERR_NOT_ENOUGH_HASHES', 'remote', message, options);
    this.node = node;
  }
}

/** An RSA key cannot be parsed or is not the kind Tahoe uses for mutable files. */
export class InvalidKeyError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_INVALID_KEY', 'input', message, options);
  }
}
