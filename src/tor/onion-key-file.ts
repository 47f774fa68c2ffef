/**
 * Onion service key files: one line `ED25519-V3:<base64>` (the ADD_ONION key form, as Tahoe-LAFS stores it in
 * `private/tor_onion.privkey`), mode 0600. A key file readable by group or others is refused, since anyone who reads
 * it can impersonate the service.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { chmod, open, rename, rm, stat } from 'node:fs/promises';
import { OnionKeyError } from './errors.js';
import { type OnionPrivateKey, parseOnionPrivateKey } from './onion-address.js';

/** Key files are tiny; anything larger is not a key file. */
const MAX_KEY_FILE_BYTES = 1024;

/**
 * Writes `key` to `path` with mode 0600, atomically (temporary file in the same directory, then rename), so a
 * crash never leaves a truncated key.
 */
export async function writeOnionKeyFile(path: string, key: string | OnionPrivateKey): Promise<void> {
  const text = typeof key === 'string' ? parseOnionPrivateKey(key).text : key.text;
  const temporary = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${text}\n`, 'utf8');
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await chmod(temporary, 0o600); // in case of an unusual umask or ACL default
  await rename(temporary, path);
}

/** Reads and validates a key file; refuses one that group or others may read (fix with `chmod 600`). */
export async function readOnionKeyFile(path: string): Promise<OnionPrivateKey> {
  const info = await stat(path);
  if (!info.isFile()) throw new OnionKeyError(path, 'not a regular file');
  if ((info.mode & 0o077) !== 0) {
    throw new OnionKeyError(
      path,
      `mode ${(info.mode & 0o777).toString(8)} lets others read the key; chmod 600 it`,
    );
  }
  if (info.size > MAX_KEY_FILE_BYTES)
    throw new OnionKeyError(path, `${info.size} bytes is too large for a key file`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_KEY_FILE_BYTES) throw new OnionKeyError(path, 'too large for a key file');
    return parseOnionPrivateKey(buffer.subarray(0, bytesRead).toString('utf8'), path);
  } finally {
    await handle.close();
  }
}
