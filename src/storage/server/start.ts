/**
 * Starts a complete storage server: the disk backend, the node's TLS identity and swissnum (created once in
 * `privateDir`), the GBS handler on a `node:https` server (HTTP/1.1, keep-alive), its NURL and announcement.
 *
 * @module
 */
import { createServer, type Server as HttpsServer } from 'node:https';
import { type DiskBackend, openDiskBackend } from '../backend/disk-backend.js';
import type { TlsIdentity } from '../http/certificate.js';
import { type ServeTarget, serveOn } from '../http/serve.js';
import { LeaseCrawler, type LeaseCrawlerOptions } from '../lease/crawler.js';
import type { ExpirationPolicy } from '../lease/expiration-policy.js';
import { buildAnnouncement, type StorageAnnouncement } from './announcement.js';
import { createGbsHandler, type GbsHandler, type HandlerLimits } from './handler.js';
import {
  type AnnouncedAddress,
  loadStorageIdentity,
  type StorageIdentity,
  storageNurls,
} from './identity.js';
import { serveGbs } from './node-adapter.js';

/** Options of {@link startStorageServer}. */
export interface StorageServerOptions {
  /** Tahoe's `NODEDIR/storage`. */
  storageDir: string;
  /** Tahoe's `NODEDIR/private`: TLS key and certificate, swissnum (see `identity.ts`). */
  privateDir: string;
  /** The identity, when the caller has loaded it already ({@link loadStorageIdentity}); else loaded here. */
  identity?: StorageIdentity;
  /** Where to listen: a TCP address, or a `net.Server` whose connections we serve (e.g. an onion service's). */
  listen: ServeTarget;
  /**
   * Host names and ports to announce (default: the listening address). `.onion`/`.i2p` hosts give pb+tor/pb+i2p.
   * A node passes `announcedAddresses(settings, { listenPort })` from `identity.ts`, as
   * `lafs admin storage-announcement` does. A missing port means the listening port (not for `.i2p` hosts).
   */
  announce?: { host: string; port?: number | undefined }[];
  reservedSpace?: number;
  maxImmutableShareSize?: number;
  maxMutableShareSize?: number;
  nickname?: string;
  /** Permutation seed (default: the identity's, base32 of SHA-256 of the certificate's SPKI, stable per node). */
  permutationSeedBase32?: string;
  applicationVersion?: string;
  limits?: HandlerLimits;
  /** Told about unexpected failures (answered with 500) and crawler errors, for the node's log. */
  onError?: (error: unknown, where: string) => void;
  /** Most simultaneous connections (default 256). */
  maxConnections?: number;
  /** Per-request deadline (default 10 minutes) and header deadline (default 60 s). */
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  /**
   * Lease expiration (`[storage] expire.*`; off by default as in Tahoe). The crawler always runs (it gives
   * lease-less shares a starter lease); pass `crawler: false` to not run it at all.
   */
  expiration?: ExpirationPolicy;
  crawler?: false | Omit<LeaseCrawlerOptions, 'backend' | 'policy' | 'now'>;
  /** Injectable clock (seconds) and disk-space probe, for tests. */
  now?: () => number;
  diskFreeSpace?: () => Promise<number>;
}

/** A running storage server. */
export interface RunningStorageServer {
  /** The first NURL (what clients connect to). */
  nurl: string;
  nurls: string[];
  announcement: StorageAnnouncement;
  backend: DiskBackend;
  handler: GbsHandler;
  identity: TlsIdentity;
  /** 20-byte node id (SHA-1 of the certificate, like a Foolscap tub id). */
  nodeId: Uint8Array;
  /** The lease crawler, when running. */
  crawler: LeaseCrawler | undefined;
  /** The bound TCP port when listening on an address. */
  port: number | undefined;
  /** Stops accepting, closes idle and active connections, abandons uploads in progress. */
  close(): Promise<void>;
}

/** Starts a storage server; see {@link StorageServerOptions}. */
export async function startStorageServer(options: StorageServerOptions): Promise<RunningStorageServer> {
  const storageIdentity = options.identity ?? (await loadStorageIdentity(options.privateDir));
  const { tls: identity, swissnum, nodeId } = storageIdentity;
  const version = options.applicationVersion ?? 'lafs/0.1.0';
  const backend = await openDiskBackend({
    storageDir: options.storageDir,
    nodeId,
    reservedSpace: options.reservedSpace,
    maxImmutableShareSize: options.maxImmutableShareSize,
    maxMutableShareSize: options.maxMutableShareSize,
    applicationVersion: version,
    now: options.now,
    diskFreeSpace: options.diskFreeSpace,
  });
  const handler = createGbsHandler({
    backend,
    swissnum,
    limits: options.limits,
    onInternalError: (error, operation) => options.onError?.(error, `GBS ${operation}`),
  });
  const crawler =
    options.crawler === false
      ? undefined
      : new LeaseCrawler({
          onError: (error) => options.onError?.(error, 'lease crawler'),
          ...options.crawler,
          backend,
          policy: options.expiration,
          now: options.now,
        });
  const server: HttpsServer = createServer({
    cert: identity.certPem,
    key: identity.keyPem,
    minVersion: 'TLSv1.2',
  });
  server.requestTimeout = options.requestTimeoutMs ?? 10 * 60 * 1000;
  server.headersTimeout = options.headersTimeoutMs ?? 60 * 1000;
  server.keepAliveTimeout = 60 * 1000;
  server.maxHeadersCount = 64;
  server.maxConnections = options.maxConnections ?? 256;
  serveGbs(server, handler);

  const served = await serveOn(server, options.listen);
  const port = served.port;
  crawler?.start();
  const listenHost = 'host' in options.listen ? options.listen.host : '127.0.0.1';
  // A missing port means the listening one, except for I2P, whose NURLs may carry no port (as its hints).
  const announce: AnnouncedAddress[] = (options.announce ?? [{ host: listenHost }]).map((a) => ({
    host: a.host,
    port: a.port ?? (a.host.endsWith('.i2p') ? undefined : port),
  }));
  const nurls = storageNurls(storageIdentity, announce);
  const permutationSeedBase32 = options.permutationSeedBase32 ?? storageIdentity.permutationSeedBase32;
  const announcement = buildAnnouncement({
    nurls,
    nodeId,
    permutationSeedBase32,
    nickname: options.nickname ?? '',
    version,
  });
  return {
    nurl: nurls[0] ?? '',
    nurls,
    announcement,
    backend,
    handler,
    crawler,
    identity,
    nodeId,
    port,
    async close() {
      await crawler?.stop();
      await served.close();
      await backend.close();
    },
  };
}
