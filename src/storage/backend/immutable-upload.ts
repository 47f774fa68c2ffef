/**
 * One immutable upload in progress (Tahoe's BucketWriter): its container under `shares/incoming/`, the byte
 * ranges received so far, and the final move into `shares/`. Chunks are checked against data already written
 * (a differing overlap is a conflict) and written straight to the file, so a body is never held in memory.
 *
 * @module
 */
import { link, open, rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConflictingWriteError, WriteLengthMismatchError, WriteOutOfBoundsError } from './errors.js';
import { IMMUTABLE_HEADER_SIZE, immutableHeader } from './immutable-container.js';
import { encodeImmutableLease, hashLeaseSecret } from './lease-record.js';
import { RangeSet } from './range-set.js';

/** An upload in progress. */
export interface Upload {
  secret: Uint8Array;
  allocatedSize: number;
  written: RangeSet;
  incomingPath: string;
  finalPath: string;
  timer: NodeJS.Timeout;
}

/**
 * Creates the incoming container: header, then the uploader's lease at the end of the allocated area
 * (exactly what Tahoe's BucketWriter writes), so the file has its final size from the start.
 */
export async function createUploadContainer(
  incomingPath: string,
  allocatedSize: number,
  renewSecret: Uint8Array,
  cancelSecret: Uint8Array,
  expirationTime: number,
): Promise<void> {
  const fh = await open(incomingPath, 'wx');
  try {
    await fh.write(immutableHeader(allocatedSize), 0, IMMUTABLE_HEADER_SIZE, 0);
    const lease = encodeImmutableLease({
      ownerNumber: 0,
      renewSecret: hashLeaseSecret(renewSecret),
      cancelSecret: hashLeaseSecret(cancelSecret),
      expirationTime,
    });
    await fh.write(lease, 0, lease.length, IMMUTABLE_HEADER_SIZE + allocatedSize);
    await fh.write(Uint8Array.of(0, 0, 0, 1), 0, 4, 8);
  } finally {
    await fh.close();
  }
}

/** A fresh upload record. */
export function newUpload(fields: Omit<Upload, 'written'>): Upload {
  return { ...fields, written: new RangeSet() };
}

/** Writes `length` bytes arriving as `chunks` at `offset`, checking bounds, overlaps and the byte count. */
export async function writeUploadData(
  upload: Upload,
  offset: number,
  length: number,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<void> {
  if (offset + length > upload.allocatedSize)
    throw new WriteOutOfBoundsError(offset, length, upload.allocatedSize);
  const fh = await open(upload.incomingPath, 'r+');
  let position = offset;
  try {
    for await (const chunk of chunks) {
      if (position + chunk.length > offset + length) {
        throw new WriteLengthMismatchError(length, position - offset + chunk.length);
      }
      const end = position + chunk.length;
      for (const r of upload.written.intersect(position, end)) {
        const existing = new Uint8Array(r.end - r.begin);
        await fh.read(existing, 0, existing.length, IMMUTABLE_HEADER_SIZE + r.begin);
        if (!Buffer.from(existing).equals(chunk.subarray(r.begin - position, r.end - position))) {
          throw new ConflictingWriteError(r.begin, r.end);
        }
      }
      if (chunk.length > 0) await fh.write(chunk, 0, chunk.length, IMMUTABLE_HEADER_SIZE + position);
      upload.written.add(position, end);
      position = end;
    }
  } finally {
    await fh.close();
  }
  if (position !== offset + length) throw new WriteLengthMismatchError(length, position - offset);
}

/** True once every allocated byte has arrived. */
export function isComplete(upload: Upload): boolean {
  return upload.written.size() >= upload.allocatedSize;
}

/**
 * Makes a complete upload durable and moves it into place. `link()` is atomic and never replaces an existing
 * file; returns false (and discards the upload) when a share already sits at the final path.
 */
export async function publishUpload(upload: Upload): Promise<boolean> {
  const fh = await open(upload.incomingPath, 'r+');
  await fh.sync().finally(() => fh.close());
  try {
    await link(upload.incomingPath, upload.finalPath);
  } catch (error) {
    await discardUpload(upload);
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  await discardUpload(upload);
  return true;
}

/** Removes the incoming file and its now-empty `incoming/<prefix>/<si>` directories. */
export async function discardUpload(upload: Upload): Promise<void> {
  clearTimeout(upload.timer);
  await unlink(upload.incomingPath).catch(() => undefined);
  let dir = dirname(upload.incomingPath);
  for (let i = 0; i < 2; i++) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}
