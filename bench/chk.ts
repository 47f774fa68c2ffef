/**
 * Throughput and memory of CHK (immutable file) encoding and decoding at Tahoe's defaults (k=3, N=10, 1 MiB
 * segments), on a file generated on the fly (100 MiB by default; set `LAFS_BENCH_CHK_MIB` for another size,
 * e.g. 1024 to check the memory bound on a 1 GiB file).
 *
 * Each case runs in a fresh process (bench/chk-case.ts), so each peak RSS is that case's own:
 * - encode (convergent): both passes (key hashing, then AES-CTR + zfec + hashing); shares 0-2 are written to
 *   temporary files, shares 3-9 are computed and discarded. MB/s counts plaintext bytes (10^6).
 * - encode (random key): the single encoding pass, shares discarded.
 * - decode: the plaintext streamed back out of shares 0-2 read from those files, every block verified.
 *
 * Run standalone with `node dist/bench/chk.js`.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchScript, runBenchChild } from './child.js';
import type { ChkCaseResult, ChkJob } from './chk-case.js';
import type { BenchResult } from './support.js';

const runCase = (job: ChkJob): Promise<ChkCaseResult> =>
  runBenchChild<ChkCaseResult>(benchScript('./chk-case.js'), { ...job });

/** Encodes then decodes a generated file; returns one result for each case. */
export async function benchChk(options: { sizeMiB?: number } = {}): Promise<BenchResult[]> {
  const sizeMiB = options.sizeMiB ?? Number(process.env.LAFS_BENCH_CHK_MIB ?? 100);
  const size = Math.round(sizeMiB * 1024 * 1024);
  const mb = size / 1e6;
  const dir = await mkdtemp(join(tmpdir(), 'lafs-bench-chk-'));
  try {
    const convergent = await runCase({ phase: 'encode-convergent', size, dir });
    const keySeconds = convergent.keySeconds ?? 0;
    const random = await runCase({ phase: 'encode-random', size, dir });
    const decoded = await runCase({ phase: 'decode', size, dir, cap: convergent.cap ?? '' });
    return [
      {
        name: `chk encode ${sizeMiB} MiB k=3 N=10 (convergent, 2 passes)`,
        mbPerSec: mb / convergent.seconds,
        peakRssMiB: convergent.peakRssMiB,
        notes: `key pass ${(mb / keySeconds).toFixed(0)} MB/s, encode pass ${(mb / (convergent.seconds - keySeconds)).toFixed(0)} MB/s`,
      },
      {
        name: `chk encode ${sizeMiB} MiB k=3 N=10 (random key, 1 pass)`,
        mbPerSec: mb / random.seconds,
        peakRssMiB: random.peakRssMiB,
        notes: 'shares 0-2 written to a discarding sink, 3-9 computed and dropped',
      },
      {
        name: `chk decode ${sizeMiB} MiB k=3 N=10 (shares 0-2 from files)`,
        mbPerSec: mb / decoded.seconds,
        peakRssMiB: decoded.peakRssMiB,
        notes: 'output compared with the source as it arrives',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await benchChk()) {
    process.stdout.write(
      `${r.name}: ${r.mbPerSec.toFixed(1)} MB/s, peak RSS ${r.peakRssMiB.toFixed(1)} MiB${r.notes ? ` (${r.notes})` : ''}\n`,
    );
  }
}
