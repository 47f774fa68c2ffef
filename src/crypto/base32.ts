/**
 * RFC 4648 §6 base32 in Tahoe-LAFS's form: lowercase alphabet `a-z2-7`, no padding (Tahoe `util/base32.py`
 * `b2a`/`a2b`). Decoding is strict: the unused low bits of the last character must be zero, so every byte string
 * has exactly one encoding (Tahoe's cap regexes enforce the same through their restricted last character).
 *
 * @module
 */
import { Base32Error } from './errors.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** The number of base32 characters Tahoe's `b2a` produces for `byteLength` bytes (`ceil(8n/5)`). */
export function base32Length(byteLength: number): number {
  return Math.ceil((byteLength * 8) / 5);
}

/** Encodes bytes as lowercase unpadded base32 (RFC 4648 §6 alphabet). */
export function base32Encode(data: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of data) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * Decodes lowercase unpadded base32. Throws {@link Base32Error} naming the position of a character outside the
 * alphabet, an impossible length (1, 3 or 6 characters modulo 8), or non-zero padding bits in the last character.
 * `what` names the value in error messages (e.g. `"the key field"`).
 */
export function base32Decode(text: string, what = 'base32 input'): Uint8Array {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) {
    throw new Base32Error(`${what}: ${text.length} characters is not a valid base32 length`, text.length);
  }
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (DECODE[code] as number) : -1;
    if (v < 0) {
      throw new Base32Error(
        `${what}: character ${JSON.stringify(text[i])} at position ${i} is not in the base32 alphabet a-z2-7`,
        i,
      );
    }
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >>> bits) & 0xff;
    }
  }
  if (bits > 0 && (buffer & ((1 << bits) - 1)) !== 0) {
    throw new Base32Error(
      `${what}: the last character at position ${text.length - 1} has non-zero padding bits (not canonical)`,
      text.length - 1,
    );
  }
  return out;
}
