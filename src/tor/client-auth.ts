/**
 * v3 onion service client authorization (rend-spec-v3 appendix G): x25519 key pairs and the key files Tor itself
 * uses, so keys move freely between lafs and a tor configured by hand.
 *
 *     service side, one file per client, `<name>.auth` (rend-spec-v3 G.1.2, Tor's `authorized_clients/`):
 *         descriptor:x25519:<base32 public key>
 *     client side, one file per service, `<name>.auth_private` (G.1.3, Tor's `ClientOnionAuthDir`):
 *         <56-char service id>:descriptor:x25519:<base32 private key>
 *
 * Blank lines and lines starting with `#` are ignored (G.1.2: third-party tools add headers); any other line that
 * does not parse is an error naming the file and line, rather than a silently unauthorised client. Private key
 * files must not be readable by group or others.
 *
 * @module
 */

import { randomBytes } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { base32Decode, base32Encode } from '../crypto/base32.js';
import { OnionClientAuthError } from './errors.js';
import { parseOnionAddress } from './onion-address.js';

/** Suffix of service-side (public key) files. */
export const AUTH_FILE_SUFFIX = '.auth';
/** Suffix of client-side (private key) files. */
export const AUTH_PRIVATE_FILE_SUFFIX = '.auth_private';
/** Most key files read from one directory (each authorised client makes the descriptor bigger). */
export const MAX_CLIENT_AUTH_FILES = 512;
/** Largest key file read (a key line is under 150 bytes; room for comments). */
const MAX_KEY_FILE_BYTES = 8192;
/** Length of an x25519 key in unpadded base32. */
const KEY_BASE32_LENGTH = 52;

/** A client's x25519 key pair, in the base32 forms the key files and ADD_ONION use. */
export interface ClientAuthKeyPair {
  /** The public key, 52 upper-case base32 characters (for the service's `.auth` file / ADD_ONION ClientAuthV3). */
  readonly publicKey: string;
  /** The private key, 52 upper-case base32 characters (for the client's `.auth_private` file). */
  readonly privateKey: string;
}

/** One client credential: the service it is for and the private key (ONION_CLIENT_AUTH_ADD's arguments). */
export interface ClientAuthCredential {
  /** The service id (no `.onion`). */
  readonly serviceId: string;
  /** The x25519 private key, 32 bytes. */
  readonly privateKey: Uint8Array;
  /** The file it came from. */
  readonly source: string;
}

/** One authorised client of a service. */
export interface AuthorizedClient {
  /** The file name without `.auth` (Tor uses it only for bookkeeping). */
  readonly name: string;
  /** The x25519 public key, upper-case base32. */
  readonly publicKey: string;
}

function encodeKey(key: Uint8Array): string {
  return base32Encode(key).toUpperCase();
}

function decodeKey(text: string, source: string): Uint8Array {
  if (text.length !== KEY_BASE32_LENGTH)
    throw new OnionClientAuthError(
      source,
      `a key is ${KEY_BASE32_LENGTH} base32 characters, got ${text.length}`,
    );
  try {
    return base32Decode(text.toLowerCase(), 'the key');
  } catch (error) {
    throw new OnionClientAuthError(source, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/** Makes a new x25519 key pair for one client. */
export function generateClientAuthKeyPair(): ClientAuthKeyPair {
  const secret = new Uint8Array(randomBytes(32));
  return { publicKey: encodeKey(x25519.getPublicKey(secret)), privateKey: encodeKey(secret) };
}

/** The public key (base32) of a base32 private key: what the client sends the service operator. */
export function clientAuthPublicKey(privateKey: string): string {
  return encodeKey(x25519.getPublicKey(decodeKey(privateKey, 'argument')));
}

/** The content of a service-side `.auth` file for `publicKey`. */
export function formatAuthorizedClient(publicKey: string): string {
  return `descriptor:x25519:${encodeKey(decodeKey(publicKey, 'argument'))}\n`;
}

/** The content of a client-side `.auth_private` file: `privateKey` (base32) for the service `address`. */
export function formatClientAuthPrivate(address: string, privateKey: string): string {
  const { serviceId } = parseOnionAddress(address);
  return (
    '# Onion client authorization key: keep it secret; anyone holding it can reach the service.\n' +
    `${serviceId}:descriptor:x25519:${encodeKey(decodeKey(privateKey, 'argument'))}\n`
  );
}

/** The meaningful lines of a key file, with their line numbers. */
function keyLines(text: string): { line: string; number: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), number: i + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
}

function onlyKeyLine(text: string, source: string): { line: string; where: string } {
  const lines = keyLines(text);
  if (lines.length !== 1)
    throw new OnionClientAuthError(source, `expected exactly one key line, found ${lines.length}`);
  const { line, number } = lines[0]!;
  return { line, where: `${source}:${number}` };
}

/** Parses a service-side `.auth` file's content. */
export function parseAuthorizedClientFile(text: string, source: string): string {
  const { line, where } = onlyKeyLine(text, source);
  const m = /^descriptor:x25519:([A-Za-z2-7]+)$/.exec(line);
  if (!m) throw new OnionClientAuthError(where, 'expected "descriptor:x25519:<base32 public key>"');
  return encodeKey(decodeKey(m[1]!, where));
}

/** Parses a client-side `.auth_private` file's content. */
export function parseClientAuthPrivateFile(text: string, source: string): ClientAuthCredential {
  const { line, where } = onlyKeyLine(text, source);
  const m = /^([A-Za-z2-7]+)(?:\.onion)?:descriptor:x25519:([A-Za-z2-7]+)$/.exec(line);
  if (!m)
    throw new OnionClientAuthError(
      where,
      'expected "<onion address>:descriptor:x25519:<base32 private key>"',
    );
  let serviceId: string;
  try {
    serviceId = parseOnionAddress(m[1]!).serviceId;
  } catch (error) {
    throw new OnionClientAuthError(where, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  return { serviceId, privateKey: decodeKey(m[2]!, where), source };
}

async function readKeyFile(path: string, secret: boolean): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) throw new OnionClientAuthError(path, 'not a regular file');
  if (secret && (info.mode & 0o077) !== 0) {
    throw new OnionClientAuthError(
      path,
      `mode ${(info.mode & 0o777).toString(8)} lets others read the private key; chmod 600 it`,
    );
  }
  if (info.size > MAX_KEY_FILE_BYTES)
    throw new OnionClientAuthError(path, `${info.size} bytes is too large for a key file`);
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(MAX_KEY_FILE_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_KEY_FILE_BYTES) throw new OnionClientAuthError(path, 'too large for a key file');
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** The files in `dir` ending in `suffix`, sorted; a missing directory is an error naming it. */
async function keyFiles(dir: string, suffix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OnionClientAuthError(dir, `cannot read the directory (${code ?? String(error)})`, {
      cause: error,
    });
  }
  const matching = names.filter((n) => n.endsWith(suffix) && !n.startsWith('.')).sort();
  if (matching.length > MAX_CLIENT_AUTH_FILES)
    throw new OnionClientAuthError(dir, `${matching.length} key files; at most ${MAX_CLIENT_AUTH_FILES}`);
  return matching;
}

/**
 * Reads every `*.auth` file in `dir` (a service's authorised clients). Other files are ignored, as Tor does.
 * Duplicate keys are kept once.
 */
export async function readAuthorizedClients(dir: string): Promise<AuthorizedClient[]> {
  const out: AuthorizedClient[] = [];
  const seen = new Set<string>();
  for (const name of await keyFiles(dir, AUTH_FILE_SUFFIX)) {
    const path = join(dir, name);
    const publicKey = parseAuthorizedClientFile(await readKeyFile(path, false), path);
    if (seen.has(publicKey)) continue;
    seen.add(publicKey);
    out.push({ name: name.slice(0, -AUTH_FILE_SUFFIX.length), publicKey });
  }
  return out;
}

/** Reads every `*.auth_private` file in `dir` (this node's credentials); each must be mode 0600 or stricter. */
export async function readClientAuthCredentials(dir: string): Promise<ClientAuthCredential[]> {
  const out: ClientAuthCredential[] = [];
  const services = new Map<string, string>();
  for (const name of await keyFiles(dir, AUTH_PRIVATE_FILE_SUFFIX)) {
    const path = join(dir, name);
    const credential = parseClientAuthPrivateFile(await readKeyFile(path, true), path);
    const earlier = services.get(credential.serviceId);
    if (earlier !== undefined)
      throw new OnionClientAuthError(
        path,
        `a second key for ${credential.serviceId.slice(0, 8)}... (also in ${earlier})`,
      );
    services.set(credential.serviceId, path);
    out.push(credential);
  }
  return out;
}
