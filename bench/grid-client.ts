/**
 * Child process of the grid benchmark: one upload or one download in a fresh process, so that each phase's
 * peak RSS is its own. Reads one JSON line on standard input (`{ phase, sizeMiB, announcements, cap? }`) and
 * prints one JSON line: `{ seconds, cpuSeconds, peakRssMiB, cap }`.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { formatCap } from '../src/storage/caps/format.js';
import { downloadImmutable } from '../src/storage/client/download.js';
import type { GridServer } from '../src/storage/client/grid.js';
import { LeaseSecrets } from '../src/storage/client/lease-secrets.js';
import { serverInfoFromAnnouncement } from '../src/storage/client/server-info.js';
import { uploadImmutable } from '../src/storage/client/upload.js';
import { GbsClient } from '../src/storage/http/client.js';
import { pinYoungGeneration } from '../src/util/young-generation.js';
import { readJob } from './child.js';
import { generatedSource, peakRssMiB, SourceComparer } from './support.js';

interface Job {
  phase: 'upload' | 'download';
  sizeMiB: number;
  announcements: Record<string, unknown>[];
  cap?: string;
  /** Upload chunk size and in-flight limits, for tuning runs (MiB). */
  chunkMiB?: number;
  inFlightMiB?: number;
  /** Download read-ahead (MiB), for tuning runs. */
  readAheadMiB?: number;
}

// As the lafs CLI does (src/cli/main.ts), so that the RSS measured is the CLI's.
pinYoungGeneration();
const job = await readJob<Job>();
const clients: GbsClient[] = [];
const servers: GridServer[] = job.announcements.map((ann, i) => {
  const api = new GbsClient({ nurl: (ann['anonymous-storage-NURLs'] as string[])[0] as string });
  clients.push(api);
  return { info: serverInfoFromAnnouncement(`storage${i}`, ann, `storage${i}`), api };
});
const size = Math.round(job.sizeMiB * 1024 * 1024);
const source = generatedSource(size);
// A fixed convergence secret: the download child re-creates the source and checks the plaintext against it.
const convergenceSecret = new Uint8Array(16).fill(7);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let cap = job.cap ?? '';
let check: (() => Promise<void>) | undefined;
if (job.phase === 'upload') {
  const result = await uploadImmutable(source, servers, {
    leaseSecrets: new LeaseSecrets(randomBytes(32)),
    convergenceSecret,
    needed: 3,
    happy: 5,
    total: 10,
    ...(job.chunkMiB ? { chunkSize: Math.round(job.chunkMiB * 1024 * 1024) } : {}),
    ...(job.inFlightMiB ? { maxInFlight: Math.round(job.inFlightMiB * 1024 * 1024) } : {}),
  });
  cap = formatCap(result.cap);
} else {
  const compare = new SourceComparer(source());
  for await (const chunk of downloadImmutable(cap, servers, {
    ...(job.readAheadMiB ? { readAhead: Math.round(job.readAheadMiB * 1024 * 1024) } : {}),
  })) {
    await compare.feed(chunk);
  }
  check = () => compare.finish('the download');
}
const seconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const peak = peakRssMiB();
await check?.();
for (const c of clients) c.close();
process.stdout.write(
  `${JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: peak, cap })}\n`,
);
