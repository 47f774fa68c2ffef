/**
 * Builders of valid overlay addresses for tests, written independently of the code under test.
 *
 * @module
 */
import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower case, no padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** A v3 onion name for a 32-byte key (torspec rend-spec-v3 section 6), with `.onion`. */
export function onionFor(pubkey: Uint8Array, version = 3): string {
  const checksum = createHash('sha3-256')
    .update('.onion checksum')
    .update(pubkey)
    .update(Uint8Array.of(version))
    .digest()
    .subarray(0, 2);
  return `${base32(Uint8Array.from([...pubkey, ...checksum, version]))}.onion`;
}

/** A deterministic pseudo-random 32-byte key from a seed. */
export function keyFrom(seed: string): Uint8Array {
  return createHash('sha256').update(seed).digest();
}

/** A `.b32.i2p` name for a seed. */
export function b32I2pFor(seed: string): string {
  return `${base32(createHash('sha256').update(seed).digest())}.b32.i2p`;
}

/** The example addresses printed in torspec rend-spec-v3 section 6. */
export const SPEC_ONIONS = [
  'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion',
  'sp3k262uwy4r2k3ycr5awluarykdpag6a7y33jxop4cs2lu5uz5sseqd.onion',
  'xa4r2iadxm55fbnqgwwi5mymqdcofiu3w6rpbtqn7b2dyn7mgwj64jyd.onion',
] as const;
