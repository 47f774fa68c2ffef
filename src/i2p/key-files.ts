/**
 * Reading and writing I2P private-key files: the node's long-term destination lives in `private/` and must only
 * be readable by its owner (like Tahoe's `private/i2p_dest.privkey`).
 *
 * The file holds the SAM private-key blob as I2P base64 text (one line). Binary key files as i2pd writes them
 * (`*.dat`) are accepted when reading too, and converted to base64.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { type AbortOptions, combineSignals, throwIfAborted } from '../util/abort.js';
import { decodeI2pBase64, encodeI2pBase64, publicDestinationOf } from './destination.js';
import { I2pKeyError, I2pKeyFilePermissionError } from './errors.js';

/** Private-key files larger than this are refused (a real key is about 1 KB of base64). */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Options of {@link readPrivateKeyFile}. */
export interface ReadKeyFileOptions extends AbortOptions {
  /** Accept a file that group or others may access (default false: such a file is refused). */
  allowInsecurePermissions?: boolean;
}

/**
 * Writes a private-key blob to `path` with mode 0600, atomically (a temporary file beside it, then rename), so a
 * crash never leaves a half-written key.
 *
 * @throws I2pKeyError when `privateKey` is not a valid private-key blob (checked before anything is written).
 */
export async function writePrivateKeyFile(
  path: string,
  privateKey: string,
  options: AbortOptions = {},
): Promise<void> {
  publicDestinationOf(privateKey, 'private key to write');
  const signal = combineSignals(options, `writing ${path}`);
  throwIfAborted(signal, `writing ${path}`);
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${privateKey}\n`, { encoding: 'utf8', signal });
    await handle.sync();
    throwIfAborted(signal, `writing ${path}`);
  } catch (error) {
    await handle.close();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
}

/**
 * Reads a private-key file and returns the private-key blob as I2P base64.
 *
 * @throws I2pKeyFilePermissionError when group or others have any access (unless allowed).
 * @throws I2pKeyError when the file is too large or holds no valid key.
 */
export async function readPrivateKeyFile(path: string, options: ReadKeyFileOptions = {}): Promise<string> {
  const signal = combineSignals(options, `reading ${path}`);
  throwIfAborted(signal, `reading ${path}`);
  // Check and read through one handle, so the file checked is the file read.
  const handle = await open(path, 'r');
  let bytes: Buffer;
  try {
    const info = await handle.stat();
    if (!options.allowInsecurePermissions && (info.mode & 0o077) !== 0) {
      throw new I2pKeyFilePermissionError(path, info.mode);
    }
    if (info.size > MAX_KEY_FILE_BYTES) {
      throw new I2pKeyError(
        `I2P private key file ${path} is ${info.size} bytes; the limit is ${MAX_KEY_FILE_BYTES}`,
      );
    }
    bytes = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    if (bytesRead > MAX_KEY_FILE_BYTES) {
      throw new I2pKeyError(`I2P private key file ${path} grew past the ${MAX_KEY_FILE_BYTES}-byte limit`);
    }
    bytes = bytes.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  throwIfAborted(signal, `reading ${path}`);
  const text = bytes.toString('latin1').trim();
  let key: string;
  if (/^[A-Za-z0-9~-]+={0,2}$/.test(text)) {
    decodeI2pBase64(text, `private key in ${path}`);
    key = text;
  } else {
    key = encodeI2pBase64(bytes);
  }
  publicDestinationOf(key, `private key in ${path}`);
  return key;
}

/** Writes a public destination (not secret) as one line of I2P base64, mode 0644. */
export async function writeDestinationFile(
  path: string,
  destination: string,
  options: AbortOptions = {},
): Promise<void> {
  const signal = combineSignals(options, `writing ${path}`);
  throwIfAborted(signal, `writing ${path}`);
  const handle = await open(path, 'w', 0o644);
  try {
    await handle.writeFile(`${destination}\n`, { encoding: 'utf8', signal });
  } finally {
    await handle.close();
  }
}
