/**
 * One immutable upload in progress (Tahoe's BucketWriter): its container under `shares/incoming/`, the byte
 * ranges received so far, and the final move into `shares/`. Body chunks are gathered into writes of up to
 * 1 MiB (a bounded buffer per request, never the whole body), checked against data already written (a
 * differing overlap is a conflict) and written to the file.
 *
 * @module
 */
import { link, open, rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFully } from '../../util/write-fully.js';
import { ConflictingWriteError, WriteOutOfBoundsError } from './errors.js';
import { type GatherMemory, gatherChunks } from './gather-chunks.js';
import { IMMUTABLE_HEADER_SIZE, immutableHeader } from './immutable-container.js';
import { encodeImmutableLease, hashLeaseSecret } from './lease-record.js';
import { RangeSet } from './range-set.js';
import { readExactly } from './read-exactly.js';

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
    await writeFully(fh, immutableHeader(allocatedSize), 0, incomingPath);
    const lease = encodeImmutableLease({
      ownerNumber: 0,
      renewSecret: hashLeaseSecret(renewSecret),
      cancelSecret: hashLeaseSecret(cancelSecret),
      expirationTime,
    });
    await writeFully(fh, lease, IMMUTABLE_HEADER_SIZE + allocatedSize, incomingPath);
    await writeFully(fh, Uint8Array.of(0, 0, 0, 1), 8, incomingPath);
  } finally {
    await fh.close();
  }
}

/** A fresh upload record. */
export function newUpload(fields: Omit<Upload, 'written'>): Upload {
  return { ...fields, written: new RangeSet() };
}

/** How {@link writeUploadData} gathers body chunks into larger writes. */
export interface WriteGathering {
  /** Largest gathered write (default 1 MiB). */
  gatherSize?: number;
  /** Shared bound on gathering buffers; when it refuses, chunks are written as they arrive. */
  memory?: GatherMemory;
}

/**
 * Writes `length` bytes arriving as `chunks` at `offset`, checking bounds, overlaps and the byte count.
 * Chunks are gathered into writes of up to `gatherSize` bytes. A range is recorded as written only after its
 * bytes are in the file, and the share only becomes readable in {@link publishUpload}, so a crash at any point
 * leaves at most an incoming file that is discarded at the next start.
 */
export async function writeUploadData(
  upload: Upload,
  offset: number,
  length: number,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  gathering: WriteGathering = {},
): Promise<void> {
  if (offset + length > upload.allocatedSize)
    throw new WriteOutOfBoundsError(offset, length, upload.allocatedSize);
  const fh = await open(upload.incomingPath, 'r+');
  try {
    for await (const piece of gatherChunks(chunks, length, gathering.gatherSize, gathering.memory)) {
      const begin = offset + piece.offset;
      const end = begin + piece.data.length;
      for (const r of upload.written.intersect(begin, end)) {
        const existing = await readExactly(
          fh,
          r.end - r.begin,
          IMMUTABLE_HEADER_SIZE + r.begin,
          upload.incomingPath,
        );
        if (!Buffer.from(existing).equals(piece.data.subarray(r.begin - begin, r.end - begin))) {
          throw new ConflictingWriteError(r.begin, r.end);
        }
      }
      await writeFully(fh, piece.data, IMMUTABLE_HEADER_SIZE + begin, upload.incomingPath);
      upload.written.add(begin, end);
    }
  } finally {
    await fh.close();
  }
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
