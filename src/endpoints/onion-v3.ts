/**
 * The one implementation of Tor v3 onion service ids (torspec `rend-spec-v3.txt` section 6, "Encoding onion
 * addresses"), used by the hint codecs here and by `tor/onion-address.ts` above:
 *
 *     onion_address = base32(PUBKEY | CHECKSUM | VERSION) + ".onion"
 *     CHECKSUM      = SHA3-256(".onion checksum" | PUBKEY | VERSION)[:2]
 *     VERSION       = 0x03
 *
 * It works on the bare service id (the 56-character label, no `.onion`); callers strip the suffix, fold the
 * case and word the problems for their own error types.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { base32Decode, base32Encode } from '../crypto/base32.js';

/** The version byte of v3 onion addresses. */
export const ONION_V3_VERSION = 3;
/** The length of a v3 service id (the address without `.onion`). */
export const ONION_V3_ID_LENGTH = 56;
/** The length of an obsolete v2 service id, which callers refuse with their own message. */
export const ONION_V2_ID_LENGTH = 16;
/** The length of an ed25519 public key. */
const PUBLIC_KEY_LENGTH = 32;

/** `SHA3-256(".onion checksum" | publicKey | version)[:2]` (rend-spec-v3 section 6). */
export function onionV3Checksum(publicKey: Uint8Array, version = ONION_V3_VERSION): Uint8Array {
  const digest = createHash('sha3-256')
    .update('.onion checksum')
    .update(publicKey)
    .update(Uint8Array.of(version))
    .digest();
  return new Uint8Array(digest.subarray(0, 2));
}

/** The 56-character lower-case v3 service id (no `.onion`) of a 32-byte ed25519 public key. */
export function encodeOnionV3Id(publicKey: Uint8Array): string {
  if (publicKey.length !== PUBLIC_KEY_LENGTH) {
    throw new RangeError(`an ed25519 public key is ${PUBLIC_KEY_LENGTH} bytes, got ${publicKey.length}`);
  }
  const bytes = new Uint8Array(PUBLIC_KEY_LENGTH + 3);
  bytes.set(publicKey, 0);
  bytes.set(onionV3Checksum(publicKey), PUBLIC_KEY_LENGTH);
  bytes[PUBLIC_KEY_LENGTH + 2] = ONION_V3_VERSION;
  return base32Encode(bytes);
}

/** Why a label is not a v3 service id, in the order the checks run. */
export type OnionV3Problem =
  /** Not 56 characters (`length` is what it was; 16 is an obsolete v2 id). */
  | { readonly problem: 'length'; readonly length: number }
  /** A character outside `a-z2-7` at `offset` (upper case included: callers fold case first if they allow it). */
  | { readonly problem: 'alphabet'; readonly offset: number; readonly character: string }
  /** The version byte is not 3. */
  | { readonly problem: 'version'; readonly version: number }
  /** The two checksum bytes do not match the public key. */
  | { readonly problem: 'checksum' };

/** The result of {@link decodeOnionV3Id}: the public key, or the first problem found. */
export type OnionV3Decoded =
  | { readonly ok: true; readonly publicKey: Uint8Array }
  | ({ readonly ok: false } & OnionV3Problem);

/**
 * Decodes and verifies a bare v3 service id (no `.onion`, already lower-case): length, alphabet, version byte,
 * then checksum. Never throws.
 */
export function decodeOnionV3Id(id: string): OnionV3Decoded {
  if (id.length !== ONION_V3_ID_LENGTH) return { ok: false, problem: 'length', length: id.length };
  const badAt = id.search(/[^a-z2-7]/);
  if (badAt !== -1) return { ok: false, problem: 'alphabet', offset: badAt, character: id[badAt] ?? '' };
  // 56 characters are exactly 35 bytes with no padding bits, so the decoder cannot fail now.
  const bytes = base32Decode(id, 'onion address');
  const version = bytes[PUBLIC_KEY_LENGTH + 2] ?? 0;
  if (version !== ONION_V3_VERSION) return { ok: false, problem: 'version', version };
  const publicKey = bytes.slice(0, PUBLIC_KEY_LENGTH);
  const expected = onionV3Checksum(publicKey);
  if (bytes[PUBLIC_KEY_LENGTH] !== expected[0] || bytes[PUBLIC_KEY_LENGTH + 1] !== expected[1]) {
    return { ok: false, problem: 'checksum' };
  }
  return { ok: true, publicKey };
}
