/**
 * Reading a whole file that must be small, without trusting it to be: the size limit holds however the file
 * changes while it is read, and something that is not a regular file (a FIFO or a device, which would be read
 * without end; a directory) is refused before any read. The file is opened non-blocking, so that a FIFO
 * without a writer does not hang the open either.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LafsError } from '../errors.js';

/** The file has more bytes than its reader accepts. */
export class FileTooLargeError extends LafsError {
  constructor(
    readonly path: string,
    readonly limit: number,
  ) {
    super('ERR_FILE_TOO_LARGE', 'input', `${path} is larger than ${limit} bytes`);
  }
}

/** The path names something other than a regular file. */
export class NotRegularFileError extends LafsError {
  constructor(readonly path: string) {
    super('ERR_NOT_REGULAR_FILE', 'input', `${path} is not a regular file`);
  }
}

/** Bytes read at a time once the size the file had when opened has been read. */
const MORE = 64 * 1024;

/**
 * The contents of the regular file at `path`, which may have at most `limit` bytes. Rejects with
 * {@link NotRegularFileError} or {@link FileTooLargeError}, and with the file system's own error (ENOENT, ...)
 * when the file cannot be opened.
 */
export async function readFileAtMost(path: string, limit: number): Promise<Uint8Array> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new NotRegularFileError(path);
    if (info.size > limit) throw new FileTooLargeError(path, limit);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // One read of the size seen at open usually takes it all; the next one confirms the end.
      const want = Math.min(Math.max(info.size - total, MORE), limit + 1 - total);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, total);
      if (bytesRead === 0) break;
      parts.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > limit) throw new FileTooLargeError(path, limit);
    }
    return parts.length === 1 ? (parts[0] as Uint8Array) : new Uint8Array(Buffer.concat(parts));
  } finally {
    await handle.close();
  }
}
