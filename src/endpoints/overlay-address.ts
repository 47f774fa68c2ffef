/**
 * Syntax checks for overlay-network names: Tor v3 onion addresses (torspec `rend-spec-v3.txt` section 6,
 * "Encoding onion addresses"; `address-spec.txt` section 2) and I2P addresses (`.b32.i2p` and `.i2p` names).
 *
 * @module
 */
import { isDnsName } from './host.js';
import { decodeOnionV3Id, ONION_V2_ID_LENGTH, ONION_V3_ID_LENGTH } from './onion-v3.js';

/** A problem found in a name: the offset inside the name and what was expected there. */
export interface NameProblem {
  offset: number;
  expected: string;
}

const NOT_BASE32 = /[^a-z2-7]/;

/** The offset of the first character of `text` outside base32's lower-case alphabet `a-z2-7`, or -1. */
function firstNonBase32(text: string): number {
  return text.search(NOT_BASE32);
}

/**
 * Checks a `*.onion` name: the label before `.onion` must be a v3 address (56 base32 characters encoding
 * PUBKEY(32) | CHECKSUM(2) | VERSION(1), verified by {@link decodeOnionV3Id}). Labels before it (virtual hosts,
 * `address-spec.txt`) must be DNS labels. Returns `undefined` if valid. `name` must be lower-case and end in
 * `.onion`.
 */
export function checkOnionName(name: string): NameProblem | undefined {
  const body = name.slice(0, -'.onion'.length);
  const dot = body.lastIndexOf('.');
  const label = body.slice(dot + 1);
  const labelOffset = dot + 1;
  if (dot >= 0 && !isDnsName(body.slice(0, dot))) {
    return { offset: 0, expected: 'DNS labels before the onion address' };
  }
  const decoded = decodeOnionV3Id(label);
  if (decoded.ok) return undefined;
  switch (decoded.problem) {
    case 'length':
      return {
        offset: labelOffset,
        expected:
          decoded.length === ONION_V2_ID_LENGTH
            ? 'a v3 onion address (56 characters); v2 onion addresses (16 characters) are obsolete and no longer work'
            : `a v3 onion address of ${ONION_V3_ID_LENGTH} base32 characters, got ${decoded.length}`,
      };
    case 'alphabet':
      return {
        offset: labelOffset + decoded.offset,
        expected: 'a base32 character (a-z, 2-7) in the onion address',
      };
    case 'version':
      return { offset: labelOffset, expected: `onion address version 3, got ${decoded.version}` };
    case 'checksum':
      return { offset: labelOffset, expected: 'an onion address with a valid checksum (is it mistyped?)' };
  }
}

/** The number of base32 characters in a `.b32.i2p` address (a SHA-256 hash of the destination). */
const I2P_B32_LENGTH = 52;

/**
 * Checks an I2P name: `<52 base32>.b32.i2p`, a longer encrypted-leaseset (`b33`, 56+ characters) `.b32.i2p`
 * address, or a host name ending in `.i2p` resolved by the router's address book. Returns `undefined` if valid.
 * `name` must be lower-case.
 */
export function checkI2pName(name: string): NameProblem | undefined {
  if (!name.endsWith('.i2p')) return { offset: name.length, expected: 'an I2P address ending in ".i2p"' };
  if (name.endsWith('.b32.i2p')) {
    const label = name.slice(0, -'.b32.i2p'.length);
    if (label.includes('.')) return { offset: 0, expected: 'a single base32 label before ".b32.i2p"' };
    if (label.length !== I2P_B32_LENGTH && label.length < 56) {
      return {
        offset: 0,
        expected: `${I2P_B32_LENGTH} base32 characters before ".b32.i2p" (or 56+ for an encrypted leaseset), got ${label.length}`,
      };
    }
    const badOffset = firstNonBase32(label);
    if (badOffset >= 0)
      return { offset: badOffset, expected: 'a base32 character (a-z, 2-7) in the I2P address' };
    return undefined;
  }
  if (!isDnsName(name) || name === '.i2p' || name.length <= 4) {
    return { offset: 0, expected: 'an I2P host name like example.i2p' };
  }
  return undefined;
}
