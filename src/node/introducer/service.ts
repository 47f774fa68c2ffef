/**
 * The introducer service: an HTTPS server (the node's pinned TLS identity) running the introducer protocol of
 * wire.ts. Replaces Tahoe-LAFS's Foolscap `IntroducerService` (`introducer/server.py` `init_introducer`); like
 * Tahoe it writes its URL to `NODEDIR/private/introducer.furl` (mode 0600) and keeps the same secret across
 * restarts.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { base32Encode } from '../../crypto/base32.js';
import { InsecureKeyFileError, loadOrCreateTlsIdentity } from '../../storage/http/certificate.js';
import { type ServeTarget, serveOn } from '../../storage/http/serve.js';
import type { AnnouncementTable } from './announcement-table.js';
import { IntroducerUrlError } from './errors.js';
import { formatIntroducerUrl, kindOfHost, parseIntroducerUrl } from './introducer-url.js';
import { createIntroducerHandler, type IntroducerLimits } from './service-handler.js';

/** File name, inside the private directory, of the introducer's URL. */
export const INTRODUCER_URL_FILE = 'introducer.furl';

/** Options of {@link createIntroducerService}. */
export interface IntroducerServiceOptions {
  /** `NODEDIR/private`: TLS identity and `introducer.furl`. */
  privateDir: string;
  /** A TCP address to listen on, or a `net.Server` (e.g. an onion service's) whose connections we serve. */
  listen: ServeTarget;
  /** Host names and ports to put in the URL (default: the listening address). `.onion`/`.i2p` give tor:/i2p: hints. */
  announce?: { host: string; port?: number }[];
  limits?: IntroducerLimits;
  applicationVersion?: string;
}

/** A running introducer. */
export interface RunningIntroducer {
  /** The URL clients put in `introducer.furl` (contains the secret swissnum). */
  url: string;
  /** The bound TCP port when listening on an address. */
  port: number | undefined;
  /** The current announcements (read-only use: status displays and tests). */
  table: AnnouncementTable;
  /** Answers waiting subscribers, stops listening and closes every connection. */
  close(): Promise<void>;
}

async function readOldSwissnum(path: string): Promise<string | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { mode, size } = await handle.stat();
    if ((mode & 0o077) !== 0) throw new InsecureKeyFileError(path, mode);
    if (size > 8192) throw new IntroducerUrlError(path, `the file is ${size} bytes; expected one URL`);
    return parseIntroducerUrl((await handle.readFile('utf8')).trim()).swissnum;
  } finally {
    await handle.close();
  }
}

/** Starts an introducer; see {@link IntroducerServiceOptions}. */
export async function createIntroducerService(options: IntroducerServiceOptions): Promise<RunningIntroducer> {
  const identity = await loadOrCreateTlsIdentity(options.privateDir);
  const urlPath = join(options.privateDir, INTRODUCER_URL_FILE);
  const swissnum = (await readOldSwissnum(urlPath)) ?? base32Encode(randomBytes(20));
  const handler = createIntroducerHandler({
    swissnum,
    applicationVersion: options.applicationVersion ?? 'lafs/0.1.0',
    limits: options.limits,
  });
  const maxWait = options.limits?.maxWaitSeconds ?? 60;
  const server = createServer(
    { cert: identity.certPem, key: identity.keyPem, minVersion: 'TLSv1.2' },
    handler,
  );
  server.requestTimeout = (maxWait + 30) * 1000;
  server.headersTimeout = 30 * 1000;
  server.keepAliveTimeout = 60 * 1000;
  server.maxHeadersCount = 32;
  server.maxRequestsPerSocket = 10_000;

  const served = await serveOn(server, options.listen);
  const port = served.port;
  const listenHost = 'host' in options.listen ? options.listen.host : '127.0.0.1';
  const announce = options.announce ?? [{ host: listenHost, port }];
  const url = formatIntroducerUrl({
    spkiHash: identity.spkiHash,
    locations: announce.map((a) => ({ kind: kindOfHost(a.host), host: a.host, port: a.port ?? port })),
    swissnum,
  });
  await writeFile(urlPath, `${url}\n`, { mode: 0o600 });
  return {
    url,
    port,
    table: handler.table,
    async close() {
      handler.wakeAll();
      await served.close();
    },
  };
}
