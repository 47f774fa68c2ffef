/**
 * Storage indexes and where their shares live on disk (Tahoe's storage/common.py and server.py layout):
 * `shares/<first 2 base32 chars>/<si base32>/<shnum>`, with uploads in progress under `shares/incoming/...`.
 *
 * @module
 */
import { join } from 'node:path';
import { base32Decode, base32Encode } from '../../crypto/base32.js';
import { InvalidShareNumberError, InvalidStorageIndexError } from './errors.js';

/** Length of a storage index in bytes. */
export const STORAGE_INDEX_BYTES = 16;
/** Largest share number the protocol's schemas allow (`0*256 uint`, shares are numbered 0..255). */
export const MAX_SHARE_NUMBER = 255;

/** Parses the 26-character base32 form of a storage index (as in request paths and directory names). */
export function parseStorageIndex(text: string): Uint8Array {
  if (text.length !== 26) throw new InvalidStorageIndexError(text);
  let bytes: Uint8Array;
  try {
    bytes = base32Decode(text, 'storage index');
  } catch {
    throw new InvalidStorageIndexError(text);
  }
  if (bytes.length !== STORAGE_INDEX_BYTES) throw new InvalidStorageIndexError(text);
  return bytes;
}

/** Formats a 16-byte storage index as 26 base32 characters. */
export function formatStorageIndex(si: Uint8Array): string {
  if (si.length !== STORAGE_INDEX_BYTES) throw new InvalidStorageIndexError(`<${si.length} bytes>`);
  return base32Encode(si);
}

/** Throws {@link InvalidShareNumberError} unless `n` is an integer 0..255. */
export function checkShareNumber(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_SHARE_NUMBER) {
    throw new InvalidShareNumberError(n);
  }
  return n;
}

/** Where the complete shares of one storage index live: `<storageDir>/shares/<prefix>/<si>`. */
export function bucketDir(storageDir: string, siText: string): string {
  return join(storageDir, 'shares', siText.slice(0, 2), siText);
}

/** Where uploads in progress for one storage index live: `<storageDir>/shares/incoming/<prefix>/<si>`. */
export function incomingBucketDir(storageDir: string, siText: string): string {
  return join(storageDir, 'shares', 'incoming', siText.slice(0, 2), siText);
}

/** Share file names are decimal share numbers (Tahoe's `NUM_RE = ^[0-9]+$`); anything else is ignored. */
export function parseShareFileName(name: string): number | undefined {
  if (!/^[0-9]{1,3}$/.test(name)) return undefined;
  const n = Number(name);
  return n <= MAX_SHARE_NUMBER ? n : undefined;
}
