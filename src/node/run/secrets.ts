/**
 * The client's two long-lived secrets, created on first start as Tahoe-LAFS does (`client.py`): the lease secret
 * `private/secret` (32 random bytes, base32) from which every lease's renew and cancel secrets derive
 * (`docs/specifications/lease.rst`), and the convergence secret `private/convergence`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { readConvergenceSecret } from '../../config/node-files.js';
import type { NodePaths } from '../../config/types.js';
import { base32Decode, base32Encode } from '../../crypto/base32.js';
import { NodeSecretFileError } from './errors.js';

/** Largest secret file read (they are ~54 bytes). */
const MAX_SECRET_FILE_BYTES = 4096;

/** Writes `text` to `path` with mode 0600 unless the file exists; returns whether it wrote. */
async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new NodeSecretFileError(path, `cannot be created (${(error as Error).message})`, { cause: error });
  }
}

/** Reads `private/secret` (base32), creating it with 32 random bytes when missing. */
export async function loadOrCreateLeaseSecret(privateDir: string): Promise<Uint8Array> {
  const path = join(privateDir, 'secret');
  await createExclusive(path, `${base32Encode(randomBytes(32))}\n`);
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      if (size > MAX_SECRET_FILE_BYTES)
        throw new NodeSecretFileError(path, `is ${size} bytes; expected one line`);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof NodeSecretFileError) throw error;
    throw new NodeSecretFileError(path, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  try {
    const secret = base32Decode(text.trim());
    if (secret.length === 0) throw new Error('empty');
    return secret;
  } catch {
    // No cause: the decoder's message would quote the secret.
    throw new NodeSecretFileError(path, 'is not a base32 lease secret; restore it from a backup');
  }
}

/**
 * Reads `private/convergence`, creating it (32 random bytes, base32, as `create-node` does) when missing. An
 * empty file is the empty secret, as Tahoe documents.
 */
export async function loadOrCreateConvergenceSecret(paths: NodePaths): Promise<Uint8Array> {
  const existing = await readConvergenceSecret(paths);
  if (existing !== undefined) return existing;
  await createExclusive(paths.convergenceFile, `${base32Encode(randomBytes(32))}\n`);
  const created = await readConvergenceSecret(paths);
  if (created === undefined)
    throw new NodeSecretFileError(paths.convergenceFile, 'vanished after it was created');
  return created;
}
