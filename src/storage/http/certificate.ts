/**
 * The storage server's self-signed TLS certificate: created once per node (ECDSA P-256 key from node:crypto,
 * X.509 v3 encoded by our own DER writer, signed by node:crypto) and stored in `NODEDIR/private` with mode
 * 0600. Clients pin its SPKI hash (see spki.ts), so no CA, name or expiry checks apply; the certificate is
 * valid until 9999-12-31 (RFC 5280 §4.1.2.5's "no well-defined expiration").
 *
 * @module
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LafsError, type LafsErrorOptions } from '../../errors.js';
import { FileTooLargeError, NotRegularFileError, readFileAtMost } from '../../util/read-file-at-most.js';
import { bitString, explicit, integer, oid, sequence, set, time, utf8String } from './der.js';
import { certificateSpkiHash } from './spki.js';

/** A certificate and its key, PEM-encoded. */
export interface TlsIdentity {
  certPem: string;
  keyPem: string;
  /** The SPKI hash pinned in NURLs. */
  spkiHash: string;
  /** DER of the certificate (Foolscap-style tub ids hash it). */
  certDer: Uint8Array;
}

/** The private key or certificate file is readable by others than its owner. */
export class InsecureKeyFileError extends LafsError {
  constructor(
    readonly path: string,
    mode: number,
  ) {
    super(
      'ERR_STORAGE_KEY_PERMISSIONS',
      'config',
      `${path} has mode ${(mode & 0o777).toString(8)}; it must not be readable by group or others (chmod 600)`,
    );
  }
}

/** The certificate or private key file cannot be used: larger than a PEM file can be, or not PEM that parses. */
export class TlsIdentityFileError extends LafsError {
  constructor(
    readonly path: string,
    reason: string,
    options: LafsErrorOptions = {},
  ) {
    super(
      'ERR_STORAGE_TLS_IDENTITY',
      'config',
      `${path} ${reason}; restore it from a backup (a new identity changes the NURL clients pin)`,
      options,
    );
  }
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

/** Creates a new self-signed certificate with a fresh P-256 key. */
export function createSelfSignedCertificate(
  commonName = 'lafs storage server',
  now = new Date(),
): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8String(commonName))));
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    explicit(0, integer(Uint8Array.of(2))),
    integer(serial),
    algorithm,
    name,
    sequence(
      time(new Date(now.getTime() - 24 * 3600 * 1000)),
      time(new Date(Date.UTC(9999, 11, 31, 23, 59, 59))),
    ),
    name,
    new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certDer = sequence(tbs, algorithm, bitString(signature));
  const certPem = new X509Certificate(certDer).toString();
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { certPem, keyPem, spkiHash: certificateSpkiHash(certDer), certDer };
}

/** File name of the certificate inside the private directory. */
export const CERT_FILE = 'storage-tls.cert.pem';
/** File name of the private key inside the private directory. */
export const KEY_FILE = 'storage-tls.key.pem';

/** Bytes a certificate or key PEM file may have (ours are well under 1 KiB). */
const MAX_PEM_FILE_BYTES = 64 * 1024;

async function checkPrivate(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) throw new InsecureKeyFileError(path, mode);
}

/** Reads a PEM file of at most {@link MAX_PEM_FILE_BYTES}. */
async function readPemFile(path: string): Promise<string> {
  try {
    return Buffer.from(await readFileAtMost(path, MAX_PEM_FILE_BYTES)).toString('utf8');
  } catch (error) {
    if (error instanceof FileTooLargeError || error instanceof NotRegularFileError)
      throw new TlsIdentityFileError(path, `cannot be used (${error.message})`, { cause: error });
    throw error;
  }
}

/** Runs `parse` on a file's text, turning node:crypto's untyped failure into a {@link TlsIdentityFileError}. */
function parsePem<T>(path: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new TlsIdentityFileError(path, `is not a PEM ${what} (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/** Loads the node's certificate from `privateDir`, creating (mode 0600) it on first use. */
export async function loadOrCreateTlsIdentity(privateDir: string): Promise<TlsIdentity> {
  const certPath = join(privateDir, CERT_FILE);
  const keyPath = join(privateDir, KEY_FILE);
  try {
    await checkPrivate(keyPath);
    const [certPem, keyPem] = await Promise.all([readPemFile(certPath), readPemFile(keyPath)]);
    parsePem(keyPath, 'private key', () => createPrivateKey(keyPem));
    const cert = parsePem(certPath, 'certificate', () => new X509Certificate(certPem));
    return { certPem, keyPem, spkiHash: certificateSpkiHash(cert), certDer: new Uint8Array(cert.raw) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(privateDir, { recursive: true, mode: 0o700 });
  const identity = createSelfSignedCertificate();
  await writeFile(keyPath, identity.keyPem, { mode: 0o600, flag: 'wx' });
  await writeFile(certPath, identity.certPem, { mode: 0o600, flag: 'wx' });
  return identity;
}
