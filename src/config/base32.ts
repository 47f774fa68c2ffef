/**
 * Tahoe-LAFS's base32: RFC 4648 alphabet in lower case, without padding (`allmydata/util/base32.py`), used
 * for `private/convergence` and node identifiers.
 *
 * @module
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Encodes bytes as lower-case unpadded base32. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes lower-case unpadded base32. Refuses other characters, impossible lengths and non-zero trailing
 * bits (each byte string has exactly one encoding, as Tahoe requires).
 *
 * @throws {RangeError} naming the first bad character's position, or the bad length.
 */
export function base32Decode(text: string): Uint8Array {
  const remainder = text.length % 8;
  if (remainder === 1 || remainder === 3 || remainder === 6) {
    throw new RangeError(`${text.length} characters is not a possible base32 length`);
  }
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    const value = ALPHABET.indexOf(text[i] ?? '');
    if (value < 0) throw new RangeError(`"${text[i]}" at position ${i} is not a base32 character (a-z, 2-7)`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      out[index++] = (buffer >>> (bits - 8)) & 0xff;
      bits -= 8;
    }
    buffer &= (1 << bits) - 1;
  }
  if (buffer !== 0) throw new RangeError('the last base32 character has non-zero unused bits');
  return out;
}
