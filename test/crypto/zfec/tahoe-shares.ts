/**
 * Just enough of Tahoe's immutable share formats to pull zfec blocks out of the fixture containers, written
 * from Tahoe's `storage/immutable.py` (container) and `immutable/layout.py` (share data v1/v2) comments.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../support/paths.js';

/** The fixture directory of real Tahoe shares. */
export const tahoeGridDir = join(sharedDir, 'fixtures', 'tahoe-grid');

/** One share's immutable data: its block size and the bytes of its block data section. */
export interface ImmutableShare {
  readonly blockSize: number;
  /** All blocks of all segments, back to back (the tail segment's block may be shorter). */
  readonly blockData: Uint8Array;
}

/**
 * Parses an immutable share container file: a 12-byte header (container version, share data length, lease
 * count; big-endian uint32), then the share data, whose header is either v1 (4-byte fields) or v2 (8-byte).
 */
export function readImmutableShare(path: string): ImmutableShare {
  const file = new Uint8Array(readFileSync(path));
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const container = view.getUint32(0);
  if (container !== 1 && container !== 2) throw new Error(`${path}: unknown container version ${container}`);
  const share = file.subarray(12);
  const shareView = new DataView(share.buffer, share.byteOffset, share.byteLength);
  const version = shareView.getUint32(0);
  let blockSize: number;
  let dataOffset: number;
  let nextOffset: number;
  if (version === 1) {
    blockSize = shareView.getUint32(4);
    dataOffset = shareView.getUint32(0x0c);
    nextOffset = shareView.getUint32(0x10);
  } else if (version === 2) {
    blockSize = Number(shareView.getBigUint64(4));
    dataOffset = Number(shareView.getBigUint64(0x14));
    nextOffset = Number(shareView.getBigUint64(0x1c));
  } else {
    throw new Error(`${path}: unknown share data version ${version}`);
  }
  if (!(dataOffset <= nextOffset && nextOffset <= share.length)) throw new Error(`${path}: bad offsets`);
  return { blockSize, blockData: share.subarray(dataOffset, nextOffset) };
}

/** Reads the first segment's block of each of shares 0..n-1 of a fixture file directory (e.g. `chk-56`). */
export function firstSegmentBlocks(dir: string, n: number): Uint8Array[] {
  const blocks: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const share = readImmutableShare(join(tahoeGridDir, dir, `share-${i}`));
    if (share.blockData.length < share.blockSize) throw new Error(`${dir}/share-${i}: short block data`);
    blocks.push(share.blockData.slice(0, share.blockSize));
  }
  return blocks;
}
