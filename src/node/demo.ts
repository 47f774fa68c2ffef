/**
 * The one-command demonstration: a grid of real nodes on 127.0.0.1 (an introducer, storage nodes and a client
 * with its web gateway), a sample file uploaded and downloaded through it, and the numbers. What `lafs demo` (and the README's first command) runs.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatCap } from '../storage/caps/format.js';
import { downloadImmutable } from '../storage/client/download.js';
import type { TransferProgress } from '../storage/client/grid.js';
import { LeaseSecrets } from '../storage/client/lease-secrets.js';
import { uploadImmutable } from '../storage/client/upload.js';
import { parseNurl } from '../storage/http/nurl.js';
import { type DemoGrid, startDemoGrid } from './demo-grid.js';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Sample file size in bytes (default 16 MiB). */
  size?: number;
  /** Storage servers (default 5). */
  servers?: number;
  needed?: number;
  /** Servers-of-happiness (default: 5, or the number of servers when fewer). */
  happy?: number;
  total?: number;
  onProgress?: (progress: TransferProgress) => void;
  signal?: AbortSignal;
  /** The version the nodes announce. */
  version?: string;
}

/** What the demo did and measured. */
export interface DemoReport {
  cap: string;
  size: number;
  sha256: string;
  verified: boolean;
  uploadSeconds: number;
  downloadSeconds: number;
  uploadMBps: number;
  downloadMBps: number;
  happiness: number;
  /** The client node's web gateway (browse it while the grid runs with `--keep`). */
  webUrl: string;
  /** Each server's nickname and address (its NURL without the secret swissnum), and which shares it holds. */
  servers: { nickname: string; address: string; shares: number[] }[];
}

/** A running demo: its report, and the grid, still up until `close`. */
export interface DemoRun {
  report: DemoReport;
  grid: DemoGrid;
  close(): Promise<void>;
}

function addressOfNurl(nurl: string | undefined): string {
  if (nurl === undefined) return '';
  const { host, port } = parseNurl(nurl);
  return `${host}:${port ?? ''}`;
}

async function writeSample(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const fh = await open(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const chunk = randomBytes(Math.min(1024 * 1024, size - written));
      hash.update(chunk);
      await fh.write(chunk);
      written += chunk.length;
    }
  } finally {
    await fh.close();
  }
  return hash.digest('hex');
}

/**
 * Starts a local grid, uploads a random sample file from disk (streamed: never held in memory), downloads it,
 * and checks it byte for byte by SHA-256. The grid keeps running until the returned `close`.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoRun> {
  const size = options.size ?? 16 * 1024 * 1024;
  const work = await mkdtemp(join(tmpdir(), 'lafs-demo-'));
  let grid: DemoGrid | undefined;
  const close = async (): Promise<void> => {
    await grid?.close();
    await rm(work, { recursive: true, force: true });
  };
  try {
    const servers = options.servers ?? 5;
    // The same default as the grid's, so that fewer than 5 servers can still be happy.
    const happy = options.happy ?? Math.min(5, servers);
    const params = { needed: options.needed ?? 3, happy, total: options.total ?? 10 };
    grid = await startDemoGrid({
      dir: join(work, 'grid'),
      storageNodes: servers,
      ...params,
      signal: options.signal,
      version: options.version,
    });
    const broker = grid.client.client?.broker;
    if (broker === undefined) throw new TypeError('the demo client has no storage broker');
    const samplePath = join(work, 'sample.bin');
    const sha256 = await writeSample(samplePath, size);
    const leaseSecrets = new LeaseSecrets(randomBytes(32));

    let started = performance.now();
    const upload = await uploadImmutable(
      () => createReadStream(samplePath, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>,
      broker.servers(),
      {
        ...params,
        leaseSecrets,
        convergenceSecret: randomBytes(16),
        size,
        onProgress: options.onProgress,
        signal: options.signal,
      },
    );
    const uploadSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const check = createHash('sha256');
    for await (const chunk of downloadImmutable(upload.cap, broker.servers(), {
      onProgress: options.onProgress,
      signal: options.signal,
    })) {
      check.update(chunk);
    }
    const downloadSeconds = (performance.now() - started) / 1000;
    const verified = check.digest('hex') === sha256;

    const sharesOf = (serverId: string): number[] =>
      [...(upload.sharesOn ?? [])].filter(([, id]) => id === serverId).map(([share]) => share);
    const report: DemoReport = {
      cap: formatCap(upload.cap),
      size,
      sha256,
      verified,
      uploadSeconds,
      downloadSeconds,
      uploadMBps: size / 1e6 / uploadSeconds,
      downloadMBps: size / 1e6 / downloadSeconds,
      happiness: upload.happiness ?? 0,
      webUrl: grid.webUrl,
      servers: broker
        .servers()
        .map((s) => ({
          nickname: s.info.nickname,
          address: addressOfNurl(s.info.nurls[0]),
          shares: sharesOf(s.info.serverId),
        }))
        .sort((a, b) => a.nickname.localeCompare(b.nickname)),
    };
    return { report, grid, close };
  } catch (error) {
    await close();
    throw error;
  }
}
