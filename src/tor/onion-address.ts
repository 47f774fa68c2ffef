/**
 * Version 3 onion addresses (rend-spec-v3 section 6, "Encoding onion addresses") and the ED25519-V3 private key
 * blobs of ADD_ONION (control-spec 3.27). The address encoding and its checksum live in one place,
 * `endpoints/onion-v3.ts` (the layer below, which the hint codecs use too); this module adds Tor's error type
 * and the keys.
 *
 * An ED25519-V3 key blob is the 32-byte little-endian secret scalar followed by the 32-byte PRF secret (the
 * expanded form, not a seed), so the public key is scalar x B.
 *
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  decodeOnionV3Id,
  encodeOnionV3Id,
  ONION_V2_ID_LENGTH,
  ONION_V3_ID_LENGTH,
  ONION_V3_VERSION,
} from '../endpoints/onion-v3.js';
import { OnionAddressError, OnionKeyError } from './errors.js';

/** Length of a v3 service id (the address without `.onion`). */
export const V3_SERVICE_ID_LENGTH = ONION_V3_ID_LENGTH;
/** The ADD_ONION key type of v3 keys. */
export const ED25519_V3 = 'ED25519-V3';

/** The 56-character v3 service id (no `.onion`) of an ed25519 public key (checksum from endpoints/onion-v3). */
export function serviceIdFromPublicKey(publicKey: Uint8Array): string {
  return encodeOnionV3Id(publicKey);
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
 * {@link OnionAddressError} naming the problem: length, alphabet, version byte or checksum. The checks
 * themselves are `endpoints/onion-v3.ts`'s, shared with the connection-hint codecs.
 */
export function parseOnionAddress(address: string): OnionAddress {
  const lower = address.toLowerCase();
  const id = lower.endsWith('.onion') ? lower.slice(0, -'.onion'.length) : lower;
  const decoded = decodeOnionV3Id(id);
  if (decoded.ok) return { serviceId: id, hostname: `${id}.onion`, publicKey: decoded.publicKey };
  switch (decoded.problem) {
    case 'length': {
      const hint =
        decoded.length === ONION_V2_ID_LENGTH ? ' (a v2 address; v2 onion services no longer exist)' : '';
      throw new OnionAddressError(
        address,
        `expected ${ONION_V3_ID_LENGTH} base32 characters, got ${decoded.length}${hint}`,
      );
    }
    case 'alphabet':
      throw new OnionAddressError(
        address,
        `character ${JSON.stringify(decoded.character)} at ${decoded.offset} is not base32`,
      );
    case 'version':
      throw new OnionAddressError(
        address,
        `version byte is ${decoded.version}, expected ${ONION_V3_VERSION}`,
      );
    case 'checksum':
      throw new OnionAddressError(address, 'checksum mismatch (mistyped address?)');
  }
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
