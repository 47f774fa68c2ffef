/**
 * The node's Ed25519 signing key, as Tahoe-LAFS keeps it (`client.py` `init_node_key`; `crypto/ed25519.py`):
 * `NODEDIR/private/node.privkey` holds `priv-v0-<base32 of the 32-byte seed>\n` (mode 0600) and
 * `NODEDIR/node.pubkey` holds `pub-v0-<base32 of the 32-byte public key>\n`. The server id other nodes know us
 * by (`key_s`) is the public key string without `pub-`: `v0-<52 base32 characters>`.
 *
 * @module
 */
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { base32Decode, base32Encode } from '../../crypto/base32.js';
import { NodeKeyError } from './errors.js';

/** File name of the private key inside `NODEDIR/private`. */
export const NODE_PRIVKEY_FILE = 'node.privkey';
/** File name of the public key inside `NODEDIR`. */
export const NODE_PUBKEY_FILE = 'node.pubkey';

// DER prefixes of an Ed25519 PKCS#8 private key and SubjectPublicKeyInfo (RFC 8410 §7 and §4).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const KEY_S = /^v0-[a-z2-7]{52}$/;

/** An Ed25519 key pair plus its Tahoe string forms. */
export interface NodeKey {
  /** The 32-byte public key. */
  publicKey: Uint8Array;
  /** `v0-<base32 public key>`: the server id (`key_s`) in announcements and caches. */
  keyString: string;
  /** `priv-v0-<base32 seed>` as stored in `node.privkey`. */
  privateKeyString: string;
  /** Signs `message` (RFC 8032 Ed25519). */
  sign(message: Uint8Array): Uint8Array;
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/** Builds a {@link NodeKey} from a 32-byte Ed25519 seed. */
export function nodeKeyFromSeed(seed: Uint8Array): NodeKey {
  if (seed.length !== 32) throw new RangeError(`an Ed25519 seed is 32 bytes, got ${seed.length}`);
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  return {
    publicKey,
    keyString: `v0-${base32Encode(publicKey)}`,
    privateKeyString: `priv-v0-${base32Encode(seed)}`,
    sign: (message) => new Uint8Array(cryptoSign(null, message, privateKey)),
  };
}

/** Parses `priv-v0-<base32>` (surrounding white space allowed). `where` names the source for errors. */
export function parsePrivateKeyString(text: string, where: string): NodeKey {
  const trimmed = text.trim();
  if (!trimmed.startsWith('priv-v0-'))
    throw new NodeKeyError(where, 'expected "priv-v0-" followed by 52 base32 characters');
  let seed: Uint8Array;
  try {
    seed = base32Decode(trimmed.slice('priv-v0-'.length), 'the private key');
  } catch (error) {
    throw new NodeKeyError(where, (error as Error).message, { cause: error });
  }
  if (seed.length !== 32) throw new NodeKeyError(where, `the key is ${seed.length} bytes, not 32`);
  return nodeKeyFromSeed(seed);
}

/**
 * Parses a server id `v0-<base32 public key>` (the `key_s` of announcements) into the 32-byte key, or returns
 * `undefined` if it is not one.
 */
export function parseKeyString(keyString: string): Uint8Array | undefined {
  if (!KEY_S.test(keyString)) return undefined;
  try {
    const key = base32Decode(keyString.slice(3));
    return key.length === 32 ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies an Ed25519 signature by the key named `v0-...`; false for a malformed key or signature. */
export function verifyWithKeyString(keyString: string, message: Uint8Array, signature: Uint8Array): boolean {
  const key = parseKeyString(keyString);
  if (key === undefined || signature.length !== 64) return false;
  try {
    return cryptoVerify(null, message, publicKeyObject(key), signature);
  } catch {
    // OpenSSL rejects points that are not on the curve when importing: that is a bad key, i.e. no signature.
    return false;
  }
}

/**
 * Loads `privateDir/node.privkey`, creating it (mode 0600, `priv-v0-...`) on first use, and (re)writes
 * `NODEDIR/node.pubkey` beside `privateDir`, as Tahoe does. Refuses a key file readable by group or others.
 */
export async function loadOrCreateNodeKey(privateDir: string): Promise<NodeKey> {
  const path = join(privateDir, NODE_PRIVKEY_FILE);
  let key: NodeKey;
  try {
    const handle = await open(path, 'r');
    try {
      const { mode, size } = await handle.stat();
      if ((mode & 0o077) !== 0)
        throw new NodeKeyError(
          path,
          `has mode ${(mode & 0o777).toString(8)}; it must not be readable by group or others (chmod 600)`,
        );
      if (size > 1024) throw new NodeKeyError(path, `is ${size} bytes; a node key is about 61`);
      key = parsePrivateKeyString(await handle.readFile('utf8'), path);
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    key = nodeKeyFromSeed(randomBytes(32));
    await writeFile(path, `${key.privateKeyString}\n`, { mode: 0o600, flag: 'wx' });
  }
  const pubPath = join(dirname(privateDir), NODE_PUBKEY_FILE);
  const pubText = `pub-${key.keyString}\n`;
  const existing = await readFile(pubPath, 'utf8').catch(() => undefined);
  if (existing !== pubText) await writeFile(pubPath, pubText);
  return key;
}
