/**
 * Positional reads of a share container: exact reads, and share-data reads truncated at the data length.
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import { CorruptContainerError } from './errors.js';

/**
 * Reads exactly `length` bytes at `position` of `fh`; a file that ends first is a
 * {@link CorruptContainerError} naming `path`.
 */
export async function readExactly(
  fh: FileHandle,
  length: number,
  position: number,
  path: string,
): Promise<Uint8Array> {
  // Every byte is overwritten or the read fails, so skip zero-filling (a share read is up to 1 MiB).
  const buffer = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buffer, done, length - done, position + done);
    if (bytesRead === 0)
      throw new CorruptContainerError(path, `truncated: wanted ${length} bytes at ${position}`);
    done += bytesRead;
  }
  return buffer;
}

/**
 * Reads share data that starts at `dataOffset` of the file and is `dataLength` bytes long: reads past its end
 * are truncated and reads starting past it return no bytes (as Tahoe's read_share_data does).
 */
export function readShareData(
  fh: FileHandle,
  dataOffset: number,
  dataLength: number,
  offset: number,
  length: number,
  path: string,
): Promise<Uint8Array> {
  const actual = Math.max(0, Math.min(length, dataLength - offset));
  if (actual === 0) return Promise.resolve(new Uint8Array(0));
  return readExactly(fh, actual, dataOffset + offset, path);
}
