/**
 * Upload and download through 5 storage servers on 127.0.0.1 (k=3, happy=5, N=10), HTTPS, real disk
 * backends: MB/s, the client's peak RSS and the CPU time of client and servers.
 *
 * The servers run in one child process (grid-servers.ts) and each upload or download in a fresh client
 * process (grid-client.ts), so each phase's peak RSS is its own. MB = 10^6 bytes of plaintext. Besides the
 * wall-clock rate, the notes give the client's and the servers' CPU seconds, which do not depend on what else
 * runs on the machine the way wall time does.
 *
 * Sizes come from `LAFS_BENCH_GRID_MIB` (comma-separated MiB, default `100`; `100,1024` adds the 1 GiB case).
 * Run standalone with `node dist/bench/grid.js`.
 *
 * @module
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { benchScript, nextLine, runBenchChild, spawnBenchScript } from './child.js';
import { type BenchResult, formatBenchTable } from './support.js';

interface PhaseResult {
  seconds: number;
  cpuSeconds: number;
  peakRssMiB: number;
  cap: string;
}

const runPhase = (job: Record<string, unknown>): Promise<PhaseResult> =>
  runBenchChild<PhaseResult>(benchScript('./grid-client.js'), job);

/** Runs the grid benchmark for each size (MiB). */
export async function benchGrid(sizesMiB?: number[]): Promise<BenchResult[]> {
  const sizes = sizesMiB ?? (process.env.LAFS_BENCH_GRID_MIB ?? '100').split(',').map(Number);
  const servers = spawnBenchScript(benchScript('./grid-servers.js'), ['5']);
  const lines = createInterface({ input: servers.stdout });
  const serverCpu = async (): Promise<number> => {
    servers.stdin.write('cpu\n');
    return (JSON.parse(await nextLine(lines)) as { cpuSeconds: number }).cpuSeconds;
  };
  try {
    const announcements = JSON.parse(await nextLine(lines)) as Record<string, unknown>[];
    const results: BenchResult[] = [];
    const tuning = {
      chunkMiB: Number(process.env.LAFS_BENCH_GRID_CHUNK_MIB ?? 0) || undefined,
      inFlightMiB: Number(process.env.LAFS_BENCH_GRID_INFLIGHT_MIB ?? 0) || undefined,
      readAheadMiB: Number(process.env.LAFS_BENCH_GRID_READ_AHEAD_MIB ?? 0) || undefined,
    };
    for (const sizeMiB of sizes) {
      const mb = (sizeMiB * 1024 * 1024) / 1e6;
      let before = await serverCpu();
      const up = await runPhase({ phase: 'upload', sizeMiB, announcements, ...tuning });
      let after = await serverCpu();
      results.push({
        name: `grid upload ${sizeMiB} MiB (5 servers, 3/5/10, convergent: 2 passes)`,
        mbPerSec: mb / up.seconds,
        peakRssMiB: up.peakRssMiB,
        notes: `CPU s: client ${up.cpuSeconds.toFixed(2)}, servers ${(after - before).toFixed(2)}`,
      });
      before = after;
      const down = await runPhase({ phase: 'download', sizeMiB, announcements, cap: up.cap, ...tuning });
      after = await serverCpu();
      results.push({
        name: `grid download ${sizeMiB} MiB (5 servers, 3/5/10)`,
        mbPerSec: mb / down.seconds,
        peakRssMiB: down.peakRssMiB,
        notes: `CPU s: client ${down.cpuSeconds.toFixed(2)}, servers ${(after - before).toFixed(2)}; compared with the source`,
      });
    }
    return results;
  } finally {
    servers.stdin.end();
    await once(servers, 'exit');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatBenchTable(await benchGrid()));
}
