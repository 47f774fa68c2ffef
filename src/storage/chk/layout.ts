/**
 * The byte layout of an immutable share (Tahoe `immutable/layout.py` `WriteBucketProxy` and
 * `WriteBucketProxy_v2`; spec `docs/specifications/file-encoding.rst`).
 *
 * ```
 * v1 (4-byte fields)                         v2 (8-byte fields; used when any v1 field would overflow)
 * 0x00 version = 1                           0x00 version = 2 (4 bytes)
 * 0x04 block size                            0x04 block size
 * 0x08 share data size                       0x0c share data size
 * 0x0c offset of data (= 0x24)               0x14 offset of data (= 0x44)
 * 0x10 offset of plaintext hash tree (unused, zero filled)
 * 0x14 offset of crypttext hash tree         ... the same five offsets as 8-byte fields ...
 * 0x18 offset of block hashes
 * 0x1c offset of share hashes
 * 0x20 offset of UEB length + UEB
 * data: the blocks, segment by segment
 * plaintext hash tree: (2P-1)*32 zero bytes; crypttext hash tree: (2P-1)*32; block hashes: (2P-1)*32
 *   (P = number of segments rounded up to a power of two)
 * share hashes: (2-byte big-endian node index, 32-byte hash) per hash needed to reach the share root
 * UEB length (4 bytes in v1, 8 in v2, big-endian), then the UEB
 * ```
 *
 * @module
 */

import { hashTreeSize, neededHashes } from '../../crypto/hashtree.js';
import { HASH_LENGTH } from '../../crypto/hashutil.js';
import { ShareLayoutError } from './errors.js';

/** Section offsets of a share, measured from the start of the share data. */
export interface ShareOffsets {
  data: number;
  plaintextHashTree: number;
  crypttextHashTree: number;
  blockHashes: number;
  shareHashes: number;
  uriExtension: number;
}

/** A share's header fields. */
export interface ShareHeader {
  version: 1 | 2;
  blockSize: number;
  dataSize: number;
  offsets: ShareOffsets;
}

/** The complete geometry of a share as the encoder lays it out. */
export interface ShareLayout extends ShareHeader {
  /** Header size: 0x24 (v1) or 0x44 (v2). */
  headerSize: number;
  /** Bytes of each of the three segment hash trees. */
  segmentTreeSize: number;
  /** Size of the UEB length prefix (4 or 8). */
  uebLengthSize: number;
  /** Total share size including the UEB. */
  shareSize: number;
}

/** The number of share hashes each share stores for a tree of `total` shares (chain plus the leaf). */
export function numShareHashes(total: number): number {
  return neededHashes(total, 0, true).length;
}

/**
 * Lays out a share for the given block geometry, choosing v1 unless a field or offset reaches 2^32 (as Tahoe's
 * `make_write_bucket_proxy` does) or `forceV2` is set (Tahoe's `FORCE_V2`, for tests).
 */
export function shareLayout(
  blockSize: number,
  dataSize: number,
  numSegments: number,
  total: number,
  uebSize: number,
  forceV2 = false,
): ShareLayout {
  const segmentTreeSize = hashTreeSize(numSegments) * HASH_LENGTH;
  const shareHashesSize = numShareHashes(total) * (2 + HASH_LENGTH);
  const build = (version: 1 | 2): ShareLayout => {
    const headerSize = version === 1 ? 0x24 : 0x44;
    const data = headerSize;
    const plaintextHashTree = data + dataSize;
    const crypttextHashTree = plaintextHashTree + segmentTreeSize;
    const blockHashes = crypttextHashTree + segmentTreeSize;
    const shareHashes = blockHashes + segmentTreeSize;
    const uriExtension = shareHashes + shareHashesSize;
    const uebLengthSize = version === 1 ? 4 : 8;
    return {
      version,
      blockSize,
      dataSize,
      offsets: { data, plaintextHashTree, crypttextHashTree, blockHashes, shareHashes, uriExtension },
      headerSize,
      segmentTreeSize,
      uebLengthSize,
      shareSize: uriExtension + uebLengthSize + uebSize,
    };
  };
  const v1 = build(1);
  if (!forceV2 && blockSize < 2 ** 32 && dataSize < 2 ** 32 && v1.offsets.uriExtension < 2 ** 32) return v1;
  return build(2);
}

/** Serialises a share header. */
export function packShareHeader(header: ShareHeader): Uint8Array {
  const o = header.offsets;
  const values = [
    header.blockSize,
    header.dataSize,
    o.data,
    o.plaintextHashTree,
    o.crypttextHashTree,
    o.blockHashes,
    o.shareHashes,
    o.uriExtension,
  ];
  if (header.version === 1) {
    const out = Buffer.alloc(0x24);
    out.writeUInt32BE(1, 0);
    for (const [i, v] of values.entries()) out.writeUInt32BE(v, 4 + 4 * i);
    return out;
  }
  const out = Buffer.alloc(0x44);
  out.writeUInt32BE(2, 0);
  for (const [i, v] of values.entries()) out.writeBigUInt64BE(BigInt(v), 4 + 8 * i);
  return out;
}

/** Bytes to read from the start of a share to be sure of having the whole header. */
export const MAX_HEADER_SIZE = 0x44;

/**
 * Parses a share header from the first bytes of a share (at least 0x24 for v1, 0x44 for v2). Checks that the
 * offsets are in order and start after the header; throws {@link ShareLayoutError} otherwise.
 */
export function parseShareHeader(bytes: Uint8Array): ShareHeader {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4)
    throw new ShareLayoutError(`share is only ${buf.length} bytes long: no version field`, 0);
  const version = buf.readUInt32BE(0);
  let values: number[];
  if (version === 1) {
    if (buf.length < 0x24)
      throw new ShareLayoutError(`v1 share header needs 36 bytes, got ${buf.length}`, buf.length);
    values = Array.from({ length: 8 }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  } else if (version === 2) {
    if (buf.length < 0x44)
      throw new ShareLayoutError(`v2 share header needs 68 bytes, got ${buf.length}`, buf.length);
    values = Array.from({ length: 8 }, (_, i) => {
      const v = buf.readBigUInt64BE(4 + 8 * i);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw new ShareLayoutError(
          `share header field at offset ${4 + 8 * i} is too large (${v})`,
          4 + 8 * i,
        );
      }
      return Number(v);
    });
  } else {
    throw new ShareLayoutError(`unknown immutable share version ${version} (expected 1 or 2)`, 0);
  }
  const [
    blockSize,
    dataSize,
    data,
    plaintextHashTree,
    crypttextHashTree,
    blockHashes,
    shareHashes,
    uriExtension,
  ] = values as [number, number, number, number, number, number, number, number];
  const offsets = { data, plaintextHashTree, crypttextHashTree, blockHashes, shareHashes, uriExtension };
  const order: [string, number][] = Object.entries(offsets);
  const headerSize = version === 1 ? 0x24 : 0x44;
  let previous = headerSize;
  for (const [name, value] of order) {
    if (value < previous) {
      throw new ShareLayoutError(
        `share header: offset of ${name} (${value}) is before the previous section (${previous})`,
        0,
      );
    }
    previous = value;
  }
  return { version: version as 1 | 2, blockSize, dataSize, offsets };
}
