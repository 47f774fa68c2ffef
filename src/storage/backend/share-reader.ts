/**
 * {@link ShareReader}s over share container files: one open file handle serves every read of a request, so a
 * streamed read reply costs one `open`, one `fstat` and one header read instead of one of each per chunk
 * (http-storage-node-protocol.rst, "Reading" of immutable and mutable shares).
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import type { ShareReader } from './backend.js';
import { openShareOfKind } from './bucket-shares.js';
import type { ShareNotFoundError } from './errors.js';
import { ShareReaderClosedError } from './errors.js';
import { readImmutableData, readImmutableInfo } from './immutable-container.js';
import { readMutableData, readMutableInfo } from './mutable-container.js';

/** Wraps an open handle; `readAt` reads from it, `close` is idempotent and later reads reject. */
function handleReader(
  fh: FileHandle,
  path: string,
  length: number,
  readAt: (fh: FileHandle, offset: number, length: number) => Promise<Uint8Array>,
): ShareReader {
  let closing: Promise<void> | undefined;
  return {
    length,
    read(offset, count) {
      if (closing) return Promise.reject(new ShareReaderClosedError(path));
      if (!Number.isSafeInteger(offset) || offset < 0)
        return Promise.reject(new RangeError(`read offset must be a non-negative integer, got ${offset}`));
      if (!Number.isSafeInteger(count) || count < 0)
        return Promise.reject(new RangeError(`read length must be a non-negative integer, got ${count}`));
      return readAt(fh, offset, count);
    },
    close() {
      closing ??= fh.close();
      return closing;
    },
  };
}

/** Opens immutable share `shnum` of `bucket` ({@link ShareNotFoundError} when absent or mutable). */
export async function openImmutableShareReader(
  bucket: string,
  siText: string,
  shnum: number,
): Promise<ShareReader> {
  const { fh, path } = await openShareOfKind(bucket, siText, shnum, 'immutable');
  const info = await readImmutableInfo(fh, path).catch(closeAndThrow(fh));
  return handleReader(fh, path, info.dataLength, (h, offset, count) =>
    readImmutableData(h, info, offset, count, path),
  );
}

/** Opens mutable share `shnum` of `bucket` ({@link ShareNotFoundError} when absent or immutable). */
export async function openMutableShareReader(
  bucket: string,
  siText: string,
  shnum: number,
): Promise<ShareReader> {
  const { fh, path } = await openShareOfKind(bucket, siText, shnum, 'mutable');
  const info = await readMutableInfo(fh, path).catch(closeAndThrow(fh));
  return handleReader(fh, path, info.dataLength, (h, offset, count) =>
    readMutableData(h, info, offset, count, path),
  );
}

/** A rejection handler that closes `fh` and rethrows (the header of a just-opened share did not parse). */
function closeAndThrow(fh: FileHandle): (error: unknown) => Promise<never> {
  return async (error) => {
    await fh.close();
    throw error;
  };
}

/** One read through `reader`, which is closed afterwards whatever happens. */
export async function readOnce(reader: ShareReader, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await reader.read(offset, length);
  } finally {
    await reader.close();
  }
}

/** The data length of `reader`'s share; closes the reader. */
export async function lengthOf(reader: ShareReader): Promise<number> {
  await reader.close();
  return reader.length;
}
