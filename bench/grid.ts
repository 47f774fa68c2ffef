/**
 * Upload and download through 5 storage servers on 127.0.0.1 (k=3, happy=5, N=10), HTTPS, real disk
 * backends: MB/s and the client's peak RSS. The servers run in a child process so the RSS is the client's.
 *
 * Sizes come from `LAFS_BENCH_GRID_MIB` (comma-separated, default `100,1024`). Run standalone with
 * `node dist/bench/grid.js`.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { downloadImmutable } from '../src/storage/client/download.js';
import type { GridServer } from '../src/storage/client/grid.js';
import { LeaseSecrets } from '../src/storage/client/lease-secrets.js';
import { serverInfoFromAnnouncement } from '../src/storage/client/server-info.js';
import { uploadImmutable } from '../src/storage/client/upload.js';
import { GbsClient } from '../src/storage/http/client.js';
import { type BenchResult, formatBenchTable, generatedSource, peakRssMiB } from './support.js';

/** Runs the grid benchmark for each size (MiB). */
export async function benchGrid(sizesMiB?: number[]): Promise<BenchResult[]> {
  const sizes = sizesMiB ?? (process.env.LAFS_BENCH_GRID_MIB ?? '100,1024').split(',').map(Number);
  const child = spawn(process.execPath, [fileURLToPath(new URL('./grid-servers.js', import.meta.url)), '5'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const clients: GbsClient[] = [];
  try {
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const announcements = JSON.parse(line) as Record<string, unknown>[];
    const servers: GridServer[] = announcements.map((ann, i) => {
      const api = new GbsClient({ nurl: (ann['anonymous-storage-NURLs'] as string[])[0]! });
      clients.push(api);
      return { info: serverInfoFromAnnouncement(`storage${i}`, ann, `storage${i}`), api };
    });
    const results: BenchResult[] = [];
    for (const sizeMiB of sizes) {
      const size = sizeMiB * 1024 * 1024;
      const source = generatedSource(size);
      let t = performance.now();
      const { cap } = await uploadImmutable(source, servers, {
        leaseSecrets: new LeaseSecrets(randomBytes(32)),
        convergenceSecret: randomBytes(16),
        needed: 3,
        happy: 5,
        total: 10,
      });
      const up = (performance.now() - t) / 1000;
      results.push({
        name: `grid upload ${sizeMiB} MiB (5 servers, 3/5/10, convergent: 2 passes)`,
        mbPerSec: size / 1e6 / up,
        peakRssMiB: peakRssMiB(),
      });
      t = performance.now();
      const hash = createHash('sha256');
      let got = 0;
      for await (const chunk of downloadImmutable(cap, servers)) {
        hash.update(chunk);
        got += chunk.length;
      }
      const down = (performance.now() - t) / 1000;
      const expected = createHash('sha256');
      for await (const chunk of source()) expected.update(chunk);
      if (got !== size || hash.digest('hex') !== expected.digest('hex')) throw new Error('download differs');
      results.push({
        name: `grid download ${sizeMiB} MiB (5 servers, 3/5/10)`,
        mbPerSec: size / 1e6 / down,
        peakRssMiB: peakRssMiB(),
        notes: 'verified by SHA-256',
      });
    }
    return results;
  } finally {
    for (const c of clients) c.close();
    child.stdin!.end();
    await once(child, 'exit');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatBenchTable(await benchGrid()));
}
