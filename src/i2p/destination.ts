/**
 * I2P destinations: the I2P base64 alphabet, the binary layout of a destination and of a private-key blob, and
 * the `.b32.i2p` address derived from a destination.
 *
 * Facts used (I2P "Common structures" spec): I2P base64 is RFC 4648 base64 with `-` for `+` and `~` for `/`
 * (padding `=` kept). A Destination is a 256-byte public key, a 128-byte signing-key area and a Certificate
 * (1-byte type, 2-byte big-endian length, payload): 387 + length bytes. A b32 address is the RFC 4648 base32
 * (lower case, no padding) of the SHA-256 of that binary form, followed by `.b32.i2p`. SAM's private key blob
 * (`DEST GENERATE` PRIV, `SESSION CREATE` DESTINATION) starts with the Destination, followed by the private keys.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { base32Encode } from '../crypto/base32.js';
import { I2pKeyError } from './errors.js';

const I2P_BASE64 = /^[A-Za-z0-9~-]*={0,2}$/;
const DESTINATION_FIXED_BYTES = 387;
/** Upper bound on a destination we accept: the largest certificate payload in use is a few hundred bytes. */
const MAX_DESTINATION_BYTES = 4096;

/** Encodes bytes as I2P base64 (`-~` alphabet, `=` padding). */
export function encodeI2pBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '~');
}

/**
 * Decodes I2P base64 strictly.
 *
 * @param what - names the value in the error message (`'destination'`, `'private key in /path'`).
 * @throws I2pKeyError when the text has characters outside the I2P alphabet or a bad length; standard base64
 *   (`+/`) is refused too, since I2P software never produces it.
 */
export function decodeI2pBase64(text: string, what = 'I2P base64 value'): Uint8Array {
  if (!I2P_BASE64.test(text) || text.length % 4 === 1) {
    const bad = text.search(/[^A-Za-z0-9~=-]/);
    throw new I2pKeyError(
      bad >= 0
        ? `${what} is not I2P base64: bad character ${JSON.stringify(text[bad])} at position ${bad}`
        : `${what} is not I2P base64 (length ${text.length} or misplaced padding)`,
    );
  }
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/~/g, '/'), 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Length in bytes of the Destination at the start of `bytes` (387 + certificate payload length).
 *
 * @throws I2pKeyError when `bytes` is too short to hold the destination its certificate announces.
 */
export function destinationLength(bytes: Uint8Array, what = 'destination'): number {
  if (bytes.length < DESTINATION_FIXED_BYTES) {
    throw new I2pKeyError(
      `${what} is ${bytes.length} bytes; a destination has at least ${DESTINATION_FIXED_BYTES}`,
    );
  }
  const certLength = (bytes[385]! << 8) | bytes[386]!;
  const total = DESTINATION_FIXED_BYTES + certLength;
  if (total > MAX_DESTINATION_BYTES || bytes.length < total) {
    throw new I2pKeyError(
      `${what} announces a ${certLength}-byte certificate but holds only ${bytes.length - DESTINATION_FIXED_BYTES}`,
    );
  }
  return total;
}

/**
 * Validates a public destination (I2P base64) and returns its binary form.
 *
 * @throws I2pKeyError when it is not base64, too short, or has bytes after the destination.
 */
export function decodeDestination(destination: string, what = 'destination'): Uint8Array {
  const bytes = decodeI2pBase64(destination, what);
  const length = destinationLength(bytes, what);
  if (length !== bytes.length) {
    throw new I2pKeyError(
      `${what} has ${bytes.length - length} bytes after the destination (is it a private key?)`,
    );
  }
  return bytes;
}

/**
 * The public destination (I2P base64) contained in a SAM private-key blob (`DEST GENERATE` PRIV or the
 * DESTINATION of `SESSION STATUS`).
 *
 * @throws I2pKeyError when the blob is malformed or holds nothing after the destination.
 */
export function publicDestinationOf(privateKey: string, what = 'private key'): string {
  const bytes = decodeI2pBase64(privateKey, what);
  const length = destinationLength(bytes, what);
  if (length === bytes.length)
    throw new I2pKeyError(`${what} holds only a public destination, no private keys`);
  return encodeI2pBase64(bytes.subarray(0, length));
}

/**
 * The `<52 chars>.b32.i2p` address of a public destination: base32(SHA-256(binary destination)).
 *
 * @throws I2pKeyError when `destination` is not a valid public destination.
 */
export function b32AddressOf(destination: string): string {
  const bytes = decodeDestination(destination);
  return `${base32Encode(createHash('sha256').update(bytes).digest())}.b32.i2p`;
}

/** True when `host` is a well-formed standard b32 address (52 base32 characters + `.b32.i2p`, any case). */
export function isB32Address(host: string): boolean {
  return /^[a-z2-7]{52}\.b32\.i2p$/i.test(host);
}
