/**
 * AES-128-CTR as Tahoe-LAFS uses it for immutable and mutable file contents (Tahoe `crypto/aes.py`): a 16-byte
 * key, a 128-bit big-endian counter starting at zero (all-zero IV), encryption and decryption identical.
 * Backed by node:crypto (OpenSSL, AES-NI).
 *
 * @module
 */
import { type Cipher, createCipheriv } from 'node:crypto';

/** A keystream applier: XORs successive bytes with the AES-CTR keystream. */
export interface AesCtrStream {
  /** Encrypts (or, identically, decrypts) the next `data.length` bytes of the stream. */
  update(data: Uint8Array): Uint8Array;
}

/** The 16-byte counter block for the 16-byte block number `blockIndex` (big-endian, from a zero IV). */
function counterBlock(blockIndex: bigint): Uint8Array {
  const iv = new Uint8Array(16);
  let v = blockIndex;
  for (let i = 15; i >= 0 && v > 0n; i--) {
    iv[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return iv;
}

/**
 * Returns an AES-128-CTR stream positioned at byte `offset` of the keystream (0 for a whole file), so any range
 * of a file can be decrypted without the bytes before it. `iv` is the initial counter block (Tahoe uses zeros
 * for CHK; SDMF/MDMF use a per-version key instead of an IV).
 */
export function createAesCtr(key: Uint8Array, offset = 0, iv?: Uint8Array): AesCtrStream {
  if (key.length !== 16) throw new RangeError(`AES-128 key must be 16 bytes, got ${key.length}`);
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new RangeError(`AES-CTR offset must be >= 0, got ${offset}`);
  if (iv !== undefined && iv.length !== 16)
    throw new RangeError(`AES-CTR IV must be 16 bytes, got ${iv.length}`);
  let start = BigInt(Math.floor(offset / 16));
  if (iv) {
    let base = 0n;
    for (const b of iv) base = (base << 8n) | BigInt(b);
    start = (base + start) & ((1n << 128n) - 1n);
  }
  const cipher: Cipher = createCipheriv('aes-128-ctr', key, counterBlock(start));
  const skip = offset % 16;
  if (skip > 0) cipher.update(new Uint8Array(skip));
  return {
    update(data: Uint8Array): Uint8Array {
      const out = cipher.update(data);
      return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    },
  };
}

/** One-shot AES-128-CTR of `data` starting at keystream byte `offset`. */
export function aesCtr(key: Uint8Array, data: Uint8Array, offset = 0): Uint8Array {
  return createAesCtr(key, offset).update(data);
}
