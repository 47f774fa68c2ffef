/**
 * Tahoe's mutable slot container (storage/mutable.py, mutable_schema.py), byte for byte:
 *
 * ```
 *   0   32  magic: "Tahoe mutable container v<N>\n" + 5 bytes (v1: fixed; v2: tagged SHA-256d, truncated)
 *  32   20  node id of the server that recorded the write enabler
 *  52   32  write enabler
 *  84    8  share data length (big-endian)
 *  92    8  offset of the extra-lease count (after the data)
 * 100  368  four lease slots of 92 bytes (owner 0 = empty)
 * 468    …  share data
 *   x    4  number of extra leases, then that many 92-byte records
 * ```
 * Lease secrets are BLAKE2b-hashed in v2 (what Tahoe writes today), cleartext in v1.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { writeFully } from '../../util/write-fully.js';
import { CorruptContainerError } from './errors.js';
import {
  decodeMutableLease,
  encodeMutableLease,
  type LeaseRecord,
  MUTABLE_LEASE_SIZE,
} from './lease-record.js';
import { readExactly, readShareData } from './read-exactly.js';

/** Size of the fixed header, leases excluded. */
export const MUTABLE_HEADER_SIZE = 100;
/** Offset of the share data (header plus four lease slots). */
export const MUTABLE_DATA_OFFSET = MUTABLE_HEADER_SIZE + 4 * MUTABLE_LEASE_SIZE;
/** The container version Tahoe writes today. */
export const MUTABLE_SCHEMA_VERSION = 2;
const MAX_EXTRA_LEASES = 100_000;

function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/** The 32-byte magic string of mutable container version `version` (1 or 2). */
export function mutableMagic(version: number): Uint8Array {
  const human = new TextEncoder().encode(`Tahoe mutable container v${version}\n`);
  let tail: Uint8Array;
  if (version === 1) {
    tail = Uint8Array.of(0x75, 0x09, 0x44, 0x03, 0x8e);
  } else {
    // tagged_hash(tag, value, truncate_to=5): SHA-256d over netstring(tag) || value.
    const tag = 'allmydata_mutable_container_header';
    const prefix = new TextEncoder().encode(`${tag.length}:${tag},`);
    tail = sha256(sha256(Buffer.concat([prefix, human]))).subarray(0, 5);
  }
  const magic = new Uint8Array(32);
  magic.set(human, 0);
  magic.set(tail, human.length);
  return magic;
}

const MAGICS = new Map<number, Uint8Array>([
  [1, mutableMagic(1)],
  [2, mutableMagic(2)],
]);

/** The container version whose magic `header` starts with, or `undefined`. */
export function mutableSchemaVersion(header: Uint8Array): number | undefined {
  for (const [version, magic] of MAGICS) {
    if (header.length >= 32 && Buffer.from(header.subarray(0, 32)).equals(magic)) return version;
  }
  return undefined;
}

/** What the header of a mutable container says. */
export interface MutableContainerInfo {
  schemaVersion: number;
  writeEnablerNodeId: Uint8Array;
  writeEnabler: Uint8Array;
  dataLength: number;
  extraLeaseOffset: number;
  extraLeaseCount: number;
}

/** A new, empty container: header with data length 0, four empty lease slots, extra-lease count 0. */
export function mutableContainerBytes(nodeId: Uint8Array, writeEnabler: Uint8Array): Uint8Array {
  const out = new Uint8Array(MUTABLE_DATA_OFFSET + 4);
  const view = new DataView(out.buffer);
  out.set(MAGICS.get(MUTABLE_SCHEMA_VERSION)!, 0);
  out.set(nodeId.subarray(0, 20), 32);
  out.set(writeEnabler.subarray(0, 32), 52);
  view.setBigUint64(84, 0n);
  view.setBigUint64(92, BigInt(MUTABLE_DATA_OFFSET));
  return out;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

function u64(value: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(value));
  return out;
}

/** Reads and validates the header of an open mutable container. */
export async function readMutableInfo(fh: FileHandle, path: string): Promise<MutableContainerInfo> {
  const { size } = await fh.stat();
  if (size < MUTABLE_DATA_OFFSET + 4)
    throw new CorruptContainerError(path, `file of ${size} bytes is too short`);
  const header = await readExactly(fh, MUTABLE_HEADER_SIZE, 0, path);
  const schemaVersion = mutableSchemaVersion(header);
  if (schemaVersion === undefined)
    throw new CorruptContainerError(path, 'not a mutable container (bad magic)');
  const view = new DataView(header.buffer);
  const dataLength = Number(view.getBigUint64(84));
  const extraLeaseOffset = Number(view.getBigUint64(92));
  if (extraLeaseOffset < MUTABLE_DATA_OFFSET + dataLength || extraLeaseOffset + 4 > size) {
    throw new CorruptContainerError(
      path,
      `extra lease offset ${extraLeaseOffset} inconsistent with data length ${dataLength}`,
    );
  }
  const extraLeaseCount = new DataView((await readExactly(fh, 4, extraLeaseOffset, path)).buffer).getUint32(
    0,
  );
  if (
    extraLeaseCount > MAX_EXTRA_LEASES ||
    extraLeaseOffset + 4 + extraLeaseCount * MUTABLE_LEASE_SIZE > size
  ) {
    throw new CorruptContainerError(path, `extra lease count ${extraLeaseCount} does not fit in the file`);
  }
  return {
    schemaVersion,
    writeEnablerNodeId: header.slice(32, 52),
    writeEnabler: header.slice(52, 84),
    dataLength,
    extraLeaseOffset,
    extraLeaseCount,
  };
}

/** Reads share data, truncated at the data length (reads past the end return fewer or no bytes). */
export function readMutableData(
  fh: FileHandle,
  info: MutableContainerInfo,
  offset: number,
  length: number,
  path: string,
): Promise<Uint8Array> {
  return readShareData(fh, MUTABLE_DATA_OFFSET, info.dataLength, offset, length, path);
}

function leaseSlotOffset(info: MutableContainerInfo, slot: number): number {
  return slot < 4
    ? MUTABLE_HEADER_SIZE + slot * MUTABLE_LEASE_SIZE
    : info.extraLeaseOffset + 4 + (slot - 4) * MUTABLE_LEASE_SIZE;
}

/** Reads every lease slot, `undefined` for empty ones (owner number 0), in slot order. */
export async function readMutableLeaseSlots(
  fh: FileHandle,
  info: MutableContainerInfo,
  path: string,
): Promise<(LeaseRecord | undefined)[]> {
  const slots: (LeaseRecord | undefined)[] = [];
  for (let i = 0; i < 4 + info.extraLeaseCount; i++) {
    const lease = decodeMutableLease(
      await readExactly(fh, MUTABLE_LEASE_SIZE, leaseSlotOffset(info, i), path),
    );
    slots.push(lease.ownerNumber === 0 ? undefined : lease);
  }
  return slots;
}

/** Writes one lease slot; a slot past the last one extends the extra-lease list (as Tahoe). */
export async function writeMutableLeaseSlot(
  fh: FileHandle,
  info: MutableContainerInfo,
  slot: number,
  lease: LeaseRecord,
  path: string,
): Promise<void> {
  if (slot >= 4 + info.extraLeaseCount) {
    info.extraLeaseCount = slot - 4 + 1;
    await writeFully(fh, u32(info.extraLeaseCount), info.extraLeaseOffset, path);
  }
  await writeFully(fh, encodeMutableLease(lease), leaseSlotOffset(info, slot), path);
}

/** Moves the extra leases so the data area can hold `newDataSize` bytes (Tahoe's _change_container_size). */
async function growContainer(
  fh: FileHandle,
  info: MutableContainerInfo,
  newDataSize: number,
  path: string,
): Promise<void> {
  const newOffset = MUTABLE_DATA_OFFSET + newDataSize;
  if (newOffset <= info.extraLeaseOffset) return;
  const leasesSize = 4 + info.extraLeaseCount * MUTABLE_LEASE_SIZE;
  const extra = await readExactly(fh, leasesSize, info.extraLeaseOffset, path);
  // Zero the old copy so stale lease bytes never become readable share data (Tahoe #1528).
  await writeFully(fh, new Uint8Array(leasesSize), info.extraLeaseOffset, path);
  await writeFully(fh, extra, newOffset, path);
  await writeFully(fh, u64(newOffset), 92, path);
  info.extraLeaseOffset = newOffset;
}

/** Writes share data at `offset`, growing the data length (holes are filled with zero bytes). */
export async function writeMutableData(
  fh: FileHandle,
  info: MutableContainerInfo,
  offset: number,
  data: Uint8Array,
  path: string,
): Promise<void> {
  const end = offset + data.length;
  if (end >= info.dataLength) {
    if (MUTABLE_DATA_OFFSET + end > info.extraLeaseOffset) await growContainer(fh, info, end, path);
    if (offset > info.dataLength) {
      const gap = offset - info.dataLength;
      await writeFully(fh, new Uint8Array(gap), MUTABLE_DATA_OFFSET + info.dataLength, path);
    }
    info.dataLength = end;
    await writeFully(fh, u64(end), 84, path);
  }
  // One write may take fewer bytes than given; writeFully loops, and a write taking none is an error.
  await writeFully(fh, data, MUTABLE_DATA_OFFSET + offset, path);
}

/** Shrinks the recorded data length (the container itself keeps its size, as in Tahoe). */
export async function truncateMutableData(
  fh: FileHandle,
  info: MutableContainerInfo,
  newLength: number,
  path: string,
): Promise<void> {
  if (newLength >= info.dataLength) return;
  info.dataLength = newLength;
  await writeFully(fh, u64(newLength), 84, path);
}
