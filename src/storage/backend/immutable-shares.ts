/**
 * Complete immutable shares in a bucket directory: listing them and opening one for reading.
 *
 * @module
 */
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { ShareNotFoundError } from './errors.js';
import { type ImmutableContainerInfo, readImmutableInfo } from './immutable-container.js';
import { listShareFiles } from './mutable-slot.js';
import { detectContainerKind } from './share-file.js';

/** Share numbers of the immutable containers in `bucket` (mutable ones and other files are skipped). */
export async function listImmutableShares(bucket: string): Promise<number[]> {
  const out: number[] = [];
  for (const shnum of await listShareFiles(bucket)) {
    const path = join(bucket, String(shnum));
    const fh = await open(path, 'r');
    try {
      if ((await detectContainerKind(fh, path)) === 'immutable') out.push(shnum);
    } finally {
      await fh.close();
    }
  }
  return out;
}

/** Opens immutable share `shnum` of `bucket`; the caller closes `fh`. */
export async function openImmutableShare(
  bucket: string,
  siText: string,
  shnum: number,
): Promise<{ fh: FileHandle; path: string; info: ImmutableContainerInfo }> {
  const path = join(bucket, String(shnum));
  const fh = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ShareNotFoundError(siText, shnum);
    throw error;
  });
  try {
    if ((await detectContainerKind(fh, path)) !== 'immutable') throw new ShareNotFoundError(siText, shnum);
    return { fh, path, info: await readImmutableInfo(fh, path) };
  } catch (error) {
    await fh.close();
    throw error;
  }
}
