/**
 * Tahoe's immutable share container (storage/immutable.py, immutable_schema.py), byte for byte:
 *
 * ```
 * 0x00  4  container version, big-endian (1 = cleartext lease secrets, 2 = hashed; Tahoe writes 2)
 * 0x04  4  share data length, saturated at 2^32-1 (unused by readers since Tahoe 1.3.0, still written)
 * 0x08  4  number of leases
 * 0x0c  …  share data
 * end-72n  n lease records of 72 bytes (see lease-record.ts)
 * ```
 * Readers derive the data length from the file size and the lease count, as Tahoe does.
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import { writeFully } from '../../util/write-fully.js';
import { CorruptContainerError } from './errors.js';
import {
  decodeImmutableLease,
  encodeImmutableLease,
  IMMUTABLE_LEASE_SIZE,
  type LeaseRecord,
} from './lease-record.js';
import { readExactly, readShareData } from './read-exactly.js';

/** Size of the immutable container header. */
export const IMMUTABLE_HEADER_SIZE = 12;
/** The container version Tahoe writes today (lease secrets hashed with BLAKE2b). */
export const IMMUTABLE_SCHEMA_VERSION = 2;
/** Upper bound on the lease count we accept from a file, so a corrupt count cannot make us read gigabytes. */
const MAX_LEASES = 1_000_000;

/** What the header and file size say about an immutable container. */
export interface ImmutableContainerInfo {
  schemaVersion: number;
  /** Length of the share data (file size - header - leases). */
  dataLength: number;
  leaseCount: number;
  /** Offset of the first lease record. */
  leaseOffset: number;
}

/** The 12-byte header of a new container that will hold `maxSize` bytes of share data and no leases yet. */
export function immutableHeader(maxSize: number, schemaVersion = IMMUTABLE_SCHEMA_VERSION): Uint8Array {
  const out = new Uint8Array(IMMUTABLE_HEADER_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, schemaVersion);
  view.setUint32(4, Math.min(2 ** 32 - 1, maxSize));
  view.setUint32(8, 0);
  return out;
}

/** True when `header` (at least 4 bytes) starts like an immutable container we can read. */
export function isImmutableHeader(header: Uint8Array): boolean {
  if (header.length < 4) return false;
  const version = new DataView(header.buffer, header.byteOffset, 4).getUint32(0);
  return version === 1 || version === 2;
}

/** Reads and validates the header of an open immutable container. */
export async function readImmutableInfo(fh: FileHandle, path: string): Promise<ImmutableContainerInfo> {
  const { size } = await fh.stat();
  if (size < IMMUTABLE_HEADER_SIZE)
    throw new CorruptContainerError(path, `file of ${size} bytes is shorter than the header`);
  const header = await readExactly(fh, IMMUTABLE_HEADER_SIZE, 0, path);
  const view = new DataView(header.buffer);
  const schemaVersion = view.getUint32(0);
  if (schemaVersion !== 1 && schemaVersion !== 2) {
    throw new CorruptContainerError(path, `unknown immutable container version ${schemaVersion}`);
  }
  const leaseCount = view.getUint32(8);
  const leaseBytes = leaseCount * IMMUTABLE_LEASE_SIZE;
  if (leaseCount > MAX_LEASES || IMMUTABLE_HEADER_SIZE + leaseBytes > size) {
    throw new CorruptContainerError(
      path,
      `lease count ${leaseCount} does not fit in a file of ${size} bytes`,
    );
  }
  return {
    schemaVersion,
    leaseCount,
    leaseOffset: size - leaseBytes,
    dataLength: size - IMMUTABLE_HEADER_SIZE - leaseBytes,
  };
}

/** Reads share data; reads past the end are truncated and reads starting past it return no bytes (as Tahoe). */
export function readImmutableData(
  fh: FileHandle,
  info: ImmutableContainerInfo,
  offset: number,
  length: number,
  path: string,
): Promise<Uint8Array> {
  return readShareData(fh, IMMUTABLE_HEADER_SIZE, info.dataLength, offset, length, path);
}

/** Reads every lease record of the container. */
export async function readImmutableLeases(
  fh: FileHandle,
  info: ImmutableContainerInfo,
  path: string,
): Promise<LeaseRecord[]> {
  if (info.leaseCount === 0) return [];
  const bytes = await readExactly(fh, info.leaseCount * IMMUTABLE_LEASE_SIZE, info.leaseOffset, path);
  const leases: LeaseRecord[] = [];
  for (let i = 0; i < info.leaseCount; i++) {
    leases.push(
      decodeImmutableLease(bytes.subarray(i * IMMUTABLE_LEASE_SIZE, (i + 1) * IMMUTABLE_LEASE_SIZE)),
    );
  }
  return leases;
}

/**
 * Replaces the lease records: writes them at `leaseOffset` (the end of the share data), updates the count and
 * truncates whatever followed. Records are written before the count so a crash mid-way loses no old lease.
 */
export async function writeImmutableLeases(
  fh: FileHandle,
  leaseOffset: number,
  leases: readonly LeaseRecord[],
  path: string,
): Promise<void> {
  const bytes = new Uint8Array(leases.length * IMMUTABLE_LEASE_SIZE);
  leases.forEach((lease, i) => {
    bytes.set(encodeImmutableLease(lease), i * IMMUTABLE_LEASE_SIZE);
  });
  await writeFully(fh, bytes, leaseOffset, path);
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, leases.length);
  await writeFully(fh, count, 8, path);
  await fh.truncate(leaseOffset + bytes.length);
}
