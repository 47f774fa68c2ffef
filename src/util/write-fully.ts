/**
 * Writing a whole buffer to a file. One `write` may take fewer bytes than it was given, so a writer must loop;
 * and a file system that takes none without reporting an error would make that loop spin forever, so a
 * write that makes no progress is an error here.
 *
 * @module
 */
import type { FileHandle } from 'node:fs/promises';
import { LafsError } from '../errors.js';

/** The file system accepted none of a write's bytes without reporting an error. */
export class ShortWriteError extends LafsError {
  constructor(
    readonly path: string,
    /** Where the write was to go: a file offset, or the bytes of this buffer written so far when appending. */
    readonly position: number,
  ) {
    super('ERR_SHORT_WRITE', 'bug', `writing ${path} at ${position}: no bytes were written`);
  }
}

/**
 * Writes all of `data` to `handle` at file offset `position`, or at the file's current position when
 * `position` is `null`. `path` names the file in errors. Rejects with {@link ShortWriteError} when a write
 * takes no bytes.
 */
export async function writeFully(
  handle: Pick<FileHandle, 'write'>,
  data: Uint8Array,
  position: number | null,
  path: string,
): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const at = position === null ? null : position + done;
    const { bytesWritten } = await handle.write(data, done, data.length - done, at);
    if (!(bytesWritten > 0)) throw new ShortWriteError(path, at ?? done);
    done += bytesWritten;
  }
}
