/**
 * Minting a v3 onion service key locally, without a running tor, so `lafs create-node --listen=tor` knows its
 * address at once (Tahoe-LAFS asks tor to mint one and waits ~40 s for the descriptor upload).
 *
 * Tor's ED25519-V3 key blob (control-spec 3.27 "ADD_ONION", rend-spec-v3 appendix A) is the *expanded* ed25519
 * secret key of RFC 8032 section 5.1.5: `h = SHA-512(seed)`, the first 32 bytes clamped (the scalar `s`), the last
 * 32 the PRF secret used to derive signature nonces. The public key is `s x B`; the service id is its v3 encoding
 * (rend-spec-v3 section 6). Tor accepts such a blob in `ADD_ONION ED25519-V3:<base64>` and serves exactly that id
 * (proved against a real tor in `integration/tor/onion-keygen.test.ts`).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { ED25519_V3, type OnionPrivateKey, serviceIdFromPrivateKey } from './onion-address.js';

/** A freshly minted onion service key and the service id it serves. */
export interface MintedOnionKey {
  /** The key in ADD_ONION form; store it with `writeOnionKeyFile`. */
  readonly privateKey: OnionPrivateKey;
  /** The 56-character service id (the `.onion` address without the suffix). */
  readonly serviceId: string;
}

/** Expands a 32-byte ed25519 seed into Tor's 64-byte ED25519-V3 key blob (RFC 8032 5.1.5 steps 1-2). */
export function expandEd25519Seed(seed: Uint8Array): Uint8Array {
  if (seed.length !== 32) throw new RangeError(`an ed25519 seed is 32 bytes, got ${seed.length}`);
  const blob = new Uint8Array(createHash('sha512').update(seed).digest());
  blob[0]! &= 248; // clear the cofactor bits
  blob[31]! &= 127; // clear the top bit...
  blob[31]! |= 64; // ...and set the second-highest, as RFC 8032 prescribes
  return blob;
}

/** The ADD_ONION form of a 64-byte expanded key blob. */
export function onionPrivateKeyFromBlob(blob: Uint8Array): OnionPrivateKey {
  if (blob.length !== 64) throw new RangeError(`an ED25519-V3 key blob is 64 bytes, got ${blob.length}`);
  const copy = Uint8Array.from(blob);
  return { type: ED25519_V3, blob: copy, text: `${ED25519_V3}:${Buffer.from(copy).toString('base64')}` };
}

/**
 * Mints a new v3 onion service key from 32 random bytes (or `seed`, for reproducible tests). Pure computation:
 * about a millisecond, no tor involved.
 */
export function mintOnionKey(seed: Uint8Array = randomBytes(32)): MintedOnionKey {
  const privateKey = onionPrivateKeyFromBlob(expandEd25519Seed(seed));
  return { privateKey, serviceId: serviceIdFromPrivateKey(privateKey) };
}
