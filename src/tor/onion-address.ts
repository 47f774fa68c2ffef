/**
 * Version 3 onion addresses (rend-spec-v3 section 6, "Encoding onion addresses") and the ED25519-V3 private key
 * blobs of ADD_ONION (control-spec 3.27).
 *
 *     onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
 *     CHECKSUM      = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2]
 *     VERSION       = 0x03
 *
 * An ED25519-V3 key blob is the 32-byte little-endian secret scalar followed by the 32-byte PRF secret (the
 * expanded form, not a seed), so the public key is scalar x B.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { base32Decode, base32Encode } from '../crypto/base32.js';
import { OnionAddressError, OnionKeyError } from './errors.js';

const VERSION = 3;
/** Length of a v3 service id (the address without `.onion`). */
export const V3_SERVICE_ID_LENGTH = 56;
/** The ADD_ONION key type of v3 keys. */
export const ED25519_V3 = 'ED25519-V3';

function checksum(publicKey: Uint8Array): Buffer {
  return createHash('sha3-256')
    .update('.onion checksum')
    .update(publicKey)
    .update(Uint8Array.of(VERSION))
    .digest()
    .subarray(0, 2);
}

/** The 56-character v3 service id (no `.onion`) of an ed25519 public key. */
export function serviceIdFromPublicKey(publicKey: Uint8Array): string {
  if (publicKey.length !== 32)
    throw new RangeError(`an ed25519 public key is 32 bytes, got ${publicKey.length}`);
  const bytes = new Uint8Array(35);
  bytes.set(publicKey, 0);
  bytes.set(checksum(publicKey), 32);
  bytes[34] = VERSION;
  return base32Encode(bytes);
}

/** A decoded v3 onion address. */
export interface OnionAddress {
  /** The 56-character lower-case service id. */
  readonly serviceId: string;
  /** `<serviceId>.onion`. */
  readonly hostname: string;
  /** The service's ed25519 public key. */
  readonly publicKey: Uint8Array;
}

/**
 * Parses and validates a v3 onion address, with or without `.onion` (case-insensitive). Throws
 * {@link OnionAddressError} naming the problem: length, alphabet, version byte or checksum.
 */
export function parseOnionAddress(address: string): OnionAddress {
  const lower = address.toLowerCase();
  const id = lower.endsWith('.onion') ? lower.slice(0, -'.onion'.length) : lower;
  if (id.length !== V3_SERVICE_ID_LENGTH) {
    const hint = id.length === 16 ? ' (a v2 address; v2 onion services no longer exist)' : '';
    throw new OnionAddressError(
      address,
      `expected ${V3_SERVICE_ID_LENGTH} base32 characters, got ${id.length}${hint}`,
    );
  }
  const badAt = id.search(/[^a-z2-7]/);
  if (badAt !== -1)
    throw new OnionAddressError(address, `character ${JSON.stringify(id[badAt])} at ${badAt} is not base32`);
  const bytes = base32Decode(id);
  if (bytes[34] !== VERSION)
    throw new OnionAddressError(address, `version byte is ${bytes[34]}, expected ${VERSION}`);
  const publicKey = bytes.slice(0, 32);
  const expected = checksum(publicKey);
  if (bytes[32] !== expected[0] || bytes[33] !== expected[1]) {
    throw new OnionAddressError(address, 'checksum mismatch (mistyped address?)');
  }
  return { serviceId: id, hostname: `${id}.onion`, publicKey };
}

/** True if `address` is a valid v3 onion address or service id. */
export function isOnionAddress(address: string): boolean {
  try {
    parseOnionAddress(address);
    return true;
  } catch {
    return false;
  }
}

/** A parsed `ED25519-V3:<base64>` key as ADD_ONION returns and accepts it. */
export interface OnionPrivateKey {
  /** Always `ED25519-V3`. */
  readonly type: typeof ED25519_V3;
  /** The 64-byte expanded secret key (scalar | PRF secret). */
  readonly blob: Uint8Array;
  /** The key as ADD_ONION wants it: `ED25519-V3:<base64>`. */
  readonly text: string;
}

/** Parses `ED25519-V3:<base64 of 64 bytes>`; `source` names where it came from for the error message. */
export function parseOnionPrivateKey(text: string, source = 'argument'): OnionPrivateKey {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const type = colon === -1 ? '' : trimmed.slice(0, colon);
  if (type !== ED25519_V3) {
    throw new OnionKeyError(
      source,
      `expected "${ED25519_V3}:<base64>", got key type ${JSON.stringify(type.slice(0, 20))}`,
    );
  }
  const b64 = trimmed.slice(colon + 1);
  if (!/^[A-Za-z0-9+/]{86}==$/.test(b64))
    throw new OnionKeyError(source, 'the key is not 64 bytes of base64');
  const blob = new Uint8Array(Buffer.from(b64, 'base64'));
  return { type: ED25519_V3, blob, text: `${ED25519_V3}:${b64}` };
}

/** The ed25519 public key of an expanded ED25519-V3 secret key (scalar x B). */
export function publicKeyFromOnionPrivateKey(key: OnionPrivateKey): Uint8Array {
  const { Point } = ed25519;
  const order = Point.Fn.ORDER;
  let scalar = 0n;
  for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(key.blob[i]!);
  scalar %= order;
  if (scalar === 0n) throw new OnionKeyError('key', 'the secret scalar is zero');
  return Point.BASE.multiply(scalar).toBytes();
}

/** The service id an ED25519-V3 private key serves (without asking Tor). */
export function serviceIdFromPrivateKey(key: OnionPrivateKey | string): string {
  const parsed = typeof key === 'string' ? parseOnionPrivateKey(key) : key;
  return serviceIdFromPublicKey(publicKeyFromOnionPrivateKey(parsed));
}
