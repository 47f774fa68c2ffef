/**
 * Positional reads of a share container that must return every byte asked for.
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
