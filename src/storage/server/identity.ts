/**
 * The storage server's identity and what it announces, as pure functions shared by the running server
 * (`startStorageServer`) and `lafs admin storage-announcement`, so both give the same NURLs:
 *
 * - the identity in `NODEDIR/private`: the TLS key and self-signed certificate whose SPKI hash the NURLs pin
 *   (http-storage-node-protocol.rst, "Server Identity"), and the swissnum (url.rst);
 * - the node id (SHA-1 of the certificate, standing in for Foolscap's tub id: Tahoe clients derive lease secrets
 *   and write enablers from the tub id in `anonymous-storage-FURL`, storage_client.py `_parse_announcement`);
 * - the addresses from `[node] tub.location` (Tahoe `docs/configuration.rst`), one NURL each: `.onion` hosts
 *   give `pb+tor://`, `.i2p` hosts `pb+i2p://`, others `pb://`.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { base32Encode } from '../../crypto/base32.js';
import { expandLocation } from '../../endpoints/location.js';
import type { ConnectionHint, LocationItem } from '../../endpoints/types.js';
import { sleep } from '../../util/abort.js';
import {
  CERT_FILE,
  InsecureKeyFileError,
  KEY_FILE,
  loadOrCreateTlsIdentity,
  type TlsIdentity,
} from '../http/certificate.js';
import { formatNurl } from '../http/nurl.js';
import { buildAnnouncement, type StorageAnnouncement } from './announcement.js';
import {
  StorageIdentityError,
  StorageIdentityMissingError,
  UnannounceableLocationError,
} from './identity-errors.js';

/** File name of the swissnum inside the private directory. */
export const SWISSNUM_FILE = 'storage.swissnum';

/** RFC 2396 "unreserved" characters, as url.rst requires of a swissnum. */
const SWISSNUM = /^[A-Za-z0-9\-_.!~*'()]{1,256}$/;

/** Everything that makes a storage server recognisable and reachable, independent of where it listens. */
export interface StorageIdentity {
  tls: TlsIdentity;
  /** The secret path segment of every NURL and the `Authorization` secret. */
  swissnum: string;
  /** 20-byte node id: SHA-1 of the certificate DER, like a Foolscap tub id (the fURL's tub id). */
  nodeId: Uint8Array;
  /** The default permutation seed: base32 of SHA-256 of the SPKI hash's bytes (stable per node). */
  permutationSeedBase32: string;
}

/** Options of {@link loadStorageIdentity}. */
export interface LoadStorageIdentityOptions {
  /**
   * Create the key, certificate and swissnum when missing, as the first start of a node does (default true).
   * When false a missing identity is a {@link StorageIdentityMissingError}.
   */
  create?: boolean;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

async function readSwissnum(path: string): Promise<string | undefined> {
  let text: string;
  try {
    const { mode, size } = await stat(path);
    if ((mode & 0o077) !== 0) throw new InsecureKeyFileError(path, mode);
    if (size > 1024) throw new StorageIdentityError(path, `is ${size} bytes; a swissnum is a short line`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const swissnum = text.trim();
  if (!SWISSNUM.test(swissnum)) {
    throw new StorageIdentityError(
      path,
      'does not hold a swissnum (1-256 characters of RFC 2396 "unreserved": letters, digits, -_.!~*\'())',
    );
  }
  return swissnum;
}

async function loadOrCreateSwissnum(privateDir: string): Promise<string> {
  const path = join(privateDir, SWISSNUM_FILE);
  const existing = await readSwissnum(path);
  if (existing !== undefined) return existing;
  const swissnum = base32Encode(randomBytes(20));
  await writeFile(path, `${swissnum}\n`, { mode: 0o600, flag: 'wx' });
  return swissnum;
}

/** Runs `create`, retrying briefly when another process is creating the same files (EEXIST/ENOENT races). */
async function withCreationRace<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 4 || (code !== 'EEXIST' && code !== 'ENOENT')) throw error;
      await sleep(50 * (attempt + 1));
    }
  }
}

/** Derives the node id and default permutation seed from a TLS identity. */
export function storageIdentityOf(tls: TlsIdentity, swissnum: string): StorageIdentity {
  const nodeId = new Uint8Array(createHash('sha1').update(tls.certDer).digest());
  const permutationSeedBase32 = base32Encode(
    createHash('sha256').update(Buffer.from(tls.spkiHash, 'base64url')).digest(),
  );
  return { tls, swissnum, nodeId, permutationSeedBase32 };
}

/**
 * Loads the storage identity from `privateDir` (Tahoe's `NODEDIR/private`), creating it (files mode 0600) on
 * first use unless `create` is false. Key files readable by others are refused (`InsecureKeyFileError`).
 */
export async function loadStorageIdentity(
  privateDir: string,
  options: LoadStorageIdentityOptions = {},
): Promise<StorageIdentity> {
  if (options.create === false) {
    const names = [KEY_FILE, CERT_FILE, SWISSNUM_FILE];
    const present = await Promise.all(names.map((name) => exists(join(privateDir, name))));
    const missing = names.filter((_, i) => !present[i]);
    if (missing.length > 0) throw new StorageIdentityMissingError(privateDir, missing);
  }
  const tls = await withCreationRace(() => loadOrCreateTlsIdentity(privateDir));
  const swissnum = await withCreationRace(() => loadOrCreateSwissnum(privateDir));
  return storageIdentityOf(tls, swissnum);
}

/** A host (and port; optional only for I2P) clients reach the storage server at. */
export interface AnnouncedAddress {
  host: string;
  port: number | undefined;
}

/**
 * The part of a node's settings the announcement depends on. `NodeSettings` from `src/config` fits it (this
 * layer does not import the config layer).
 */
export interface AnnouncementSettings {
  /** `[node] reveal-IP-address = false`: `AUTO` and `tcp:` hints are refused (PrivacyError). */
  anonymous: boolean;
  node: {
    nickname: string;
    tubLocation: { kind: 'disabled' } | { kind: 'items'; items: readonly LocationItem[] };
  };
  /** `[i2p] dest.port`: the port of `i2p:` hints written without one (as `lafs run` announces them). */
  i2p?: { destination: { port: number } | undefined };
}

/** Options of {@link announcedAddresses}. */
export interface AnnouncedAddressesOptions {
  /** The TCP port the server listens on; needed when `tub.location` contains `AUTO`. */
  listenPort?: number;
  /** This host's interfaces, for `AUTO` (default `os.networkInterfaces()`; injected by tests). */
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
}

function addressOf(hint: ConnectionHint, i2pPort: number | undefined): AnnouncedAddress {
  if (hint.scheme === 'tcp' || hint.scheme === 'tor') {
    const { host, port } = hint as { host: string; port: number };
    return { host, port };
  }
  if (hint.scheme === 'i2p') {
    const { address, port } = hint as { address: string; port?: number };
    return { host: address, port: port ?? i2pPort };
  }
  throw new UnannounceableLocationError(
    `tub.location has a "${hint.scheme}:" hint, which a NURL cannot carry (only tcp:, tor: and i2p: hints)`,
  );
}

/**
 * The addresses to announce, from `[node] tub.location` (with `AUTO` expanded to this host's IPv4 addresses at
 * `listenPort`; `i2p:` hints without a port taking `[i2p] dest.port` when set), without duplicates and in the
 * configured order.
 *
 * @throws {UnannounceableLocationError} when no address results, or `AUTO` is used without `listenPort`.
 * @throws {PrivacyError} for `AUTO` or `tcp:` hints on an anonymous node.
 */
export function announcedAddresses(
  settings: AnnouncementSettings,
  options: AnnouncedAddressesOptions = {},
): AnnouncedAddress[] {
  const location = settings.node.tubLocation;
  if (location.kind === 'disabled') {
    throw new UnannounceableLocationError(
      '[node] tub.location is "disabled", so the node publishes no address; set it to where clients can reach the node',
    );
  }
  if (location.items.some((i) => i.type === 'auto') && options.listenPort === undefined) {
    throw new UnannounceableLocationError(
      '[node] tub.location uses AUTO, which needs the TCP port the node listens on, and none is known yet ' +
        '(tub.port is unset and the node has not run yet to choose one); set tub.port and tub.location, or ' +
        'run the node once',
    );
  }
  const hints = expandLocation(location.items, {
    revealIp: !settings.anonymous,
    ...(options.listenPort === undefined ? {} : { port: options.listenPort }),
    ...(options.interfaces === undefined ? {} : { interfaces: options.interfaces }),
  });
  const seen = new Set<string>();
  const addresses: AnnouncedAddress[] = [];
  for (const hint of hints) {
    const address = addressOf(hint, settings.i2p?.destination?.port);
    const key = `${address.host} ${address.port ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    addresses.push(address);
  }
  if (addresses.length === 0) {
    throw new UnannounceableLocationError(
      '[node] tub.location publishes no address (UNREACHABLE); clients could not reach the storage server',
    );
  }
  return addresses;
}

/** One NURL per address, pinned to the identity's SPKI hash (url.rst). */
export function storageNurls(identity: StorageIdentity, addresses: readonly AnnouncedAddress[]): string[] {
  return addresses.map((a) =>
    formatNurl({ spkiHash: identity.tls.spkiHash, host: a.host, port: a.port, swissnum: identity.swissnum }),
  );
}

/** Options of {@link announcementFor}. */
export interface AnnouncementForOptions extends AnnouncedAddressesOptions {
  /** `my-version` (e.g. `lafs/0.1.0`). */
  version: string;
  /** Overrides the identity's permutation seed. */
  permutationSeedBase32?: string;
}

/**
 * The storage announcement of a node with these settings and this identity: what it publishes to the
 * introducer and what an operator puts in clients' `servers.yaml`.
 */
export function announcementFor(
  settings: AnnouncementSettings,
  identity: StorageIdentity,
  options: AnnouncementForOptions,
): StorageAnnouncement {
  return buildAnnouncement({
    nurls: storageNurls(identity, announcedAddresses(settings, options)),
    nodeId: identity.nodeId,
    permutationSeedBase32: options.permutationSeedBase32 ?? identity.permutationSeedBase32,
    nickname: settings.node.nickname,
    version: options.version,
  });
}
