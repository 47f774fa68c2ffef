/**
 * Tagged hashes computed off the main thread, through WebCrypto (`crypto.subtle.digest` runs in libuv's thread
 * pool), so that the many block hashes of a segment run in parallel with each other and with AES and zfec on
 * the main thread. Same results as the synchronous functions in `hashutil.ts` (Tahoe `util/hashutil.py`).
 *
 * @module
 */
import { createHash, webcrypto } from 'node:crypto';
import { TAGS } from './hashutil.js';
import { netstring } from './netstring.js';

const prefixes = new Map<Uint8Array, Uint8Array>();

// WebCrypto copies its input synchronously when the job is created, so one staging buffer serves every call.
let staging = new Uint8Array(0);

/** `SHA256d(netstring(tag) || data)`, computed in the thread pool. */
async function taggedHashAsync(tag: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  let prefix = prefixes.get(tag);
  if (!prefix) {
    prefix = netstring(tag);
    if (prefixes.size < 64) prefixes.set(tag, prefix);
  }
  const length = prefix.length + data.length;
  if (staging.length < length) staging = new Uint8Array(Math.max(length, 2 * staging.length));
  staging.set(prefix, 0);
  staging.set(data, prefix.length);
  const inner = await webcrypto.subtle.digest('SHA-256', staging.subarray(0, length));
  return new Uint8Array(createHash('sha256').update(new Uint8Array(inner)).digest());
}

/** {@link taggedHashAsync} with Tahoe's block tag (`block_hash`). */
export function blockHashAsync(block: Uint8Array): Promise<Uint8Array> {
  return taggedHashAsync(TAGS.BLOCK, block);
}

/** {@link taggedHashAsync} with Tahoe's crypttext segment tag (`crypttext_segment_hash`). */
export function crypttextSegmentHashAsync(segment: Uint8Array): Promise<Uint8Array> {
  return taggedHashAsync(TAGS.CIPHERTEXT_SEGMENT, segment);
}
