/**
 * The share files of one bucket directory (storage/server.py keeps one file per share number under
 * `shares/<prefix>/<si>/`): listing them, listing those holding one kind of container, and opening one of a
 * given kind for reading.
 *
 * @module
 */
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ShareNotFoundError } from './errors.js';
import { type ContainerKind, detectContainerKind } from './share-file.js';
import { parseShareFileName } from './storage-index.js';

/** Lists the share numbers of files in a bucket directory (empty when it does not exist). */
export async function listShareFiles(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names
    .map(parseShareFileName)
    .filter((n): n is number => n !== undefined)
    .sort((a, b) => a - b);
}

/** Share numbers of the containers of `kind` in `dir` (files holding the other kind are skipped). */
export async function listSharesOfKind(dir: string, kind: ContainerKind): Promise<number[]> {
  const out: number[] = [];
  for (const shnum of await listShareFiles(dir)) {
    const path = join(dir, String(shnum));
    const fh = await open(path, 'r');
    try {
      if ((await detectContainerKind(fh, path)) === kind) out.push(shnum);
    } finally {
      await fh.close();
    }
  }
  return out;
}

/**
 * Opens share `shnum` of `bucket` for reading, checking it holds a container of `kind`
 * ({@link ShareNotFoundError} when absent or of the other kind). The caller closes `fh`.
 */
export async function openShareOfKind(
  bucket: string,
  siText: string,
  shnum: number,
  kind: ContainerKind,
): Promise<{ fh: FileHandle; path: string }> {
  const path = join(bucket, String(shnum));
  const fh = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new ShareNotFoundError(siText, shnum);
    throw error;
  });
  try {
    if ((await detectContainerKind(fh, path)) !== kind) throw new ShareNotFoundError(siText, shnum);
    return { fh, path };
  } catch (error) {
    await fh.close();
    throw error;
  }
}
