/**
 * Throughput and memory of CHK (immutable file) encoding and decoding at Tahoe's defaults (k=3, N=10, 1 MiB
 * segments), on a file generated on the fly (100 MiB by default; set `LAFS_BENCH_CHK_MIB` for another size,
 * e.g. 1024 to check the memory bound on a 1 GiB file).
 *
 * - encode (convergent): both passes (key hashing, then AES-CTR + zfec + hashing); shares 0-2 are written to
 *   temporary files, shares 3-9 are computed and discarded. MB/s counts plaintext bytes (10^6).
 * - encode (random key): the single encoding pass, shares discarded.
 * - decode: the plaintext streamed back out of shares 0-2 read from those files, every block verified.
 * - peak RSS is the process's maximum resident set size so far (it only grows).
 *
 * Run standalone with `node dist/bench/chk.js`.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeImmutable } from '../src/storage/chk/decode-immutable.js';
import { planImmutableUpload, writeImmutableShares } from '../src/storage/chk/encoder.js';
import type { ShareReader } from '../src/storage/chk/share-reader.js';
import type { ShareSink } from '../src/storage/chk/share-sink.js';
import { type BenchResult, generatedSource, peakRssMiB } from './support.js';

const CHUNK = 1 << 20;

type FileHandle = Awaited<ReturnType<typeof open>>;

function fileSink(handle: FileHandle): ShareSink {
  return {
    async write(offset, data) {
      let done = 0;
      while (done < data.length) {
        const { bytesWritten } = await handle.write(data, done, data.length - done, offset + done);
        done += bytesWritten;
      }
    },
    async close() {
      await handle.sync();
    },
  };
}

function fileReader(handle: FileHandle): ShareReader {
  return {
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return buffer.subarray(0, done);
    },
  };
}

/** Encodes then decodes a generated file; returns one result for each direction. */
export async function benchChk(options: { sizeMiB?: number } = {}): Promise<BenchResult[]> {
  const sizeMiB = options.sizeMiB ?? Number(process.env.LAFS_BENCH_CHK_MIB ?? 100);
  const size = Math.round(sizeMiB * CHUNK);
  const source = generatedSource(size);
  const dir = await mkdtemp(join(tmpdir(), 'lafs-bench-chk-'));
  const handles: FileHandle[] = [];
  try {
    let t = performance.now();
    const plan = await planImmutableUpload(source, {
      convergenceSecret: new Uint8Array(32).fill(1),
      needed: 3,
      total: 10,
    });
    if (plan.kind !== 'CHK') throw new Error('expected a CHK plan');
    const keySeconds = (performance.now() - t) / 1000;
    for (let i = 0; i < 3; i++) handles.push(await open(join(dir, `share-${i}`), 'w+'));
    const sinks = handles.map(fileSink);
    const encodeStart = performance.now();
    const result = await writeImmutableShares(plan, sinks);
    const encodeSeconds = (performance.now() - encodeStart) / 1000;
    const encodeTotal = keySeconds + encodeSeconds;
    const mb = size / 1e6;
    const results: BenchResult[] = [
      {
        name: `chk encode ${sizeMiB} MiB k=3 N=10 (convergent, 2 passes)`,
        mbPerSec: mb / encodeTotal,
        peakRssMiB: peakRssMiB(),
        notes: `key pass ${(mb / keySeconds).toFixed(0)} MB/s, encode pass ${(mb / encodeSeconds).toFixed(0)} MB/s`,
      },
    ];

    // Random key, size known: a single pass (what an upload of a stream without convergence costs).
    const randomPlan = await planImmutableUpload(source(), { needed: 3, total: 10, size });
    if (randomPlan.kind !== 'CHK') throw new Error('expected a CHK plan');
    const discard: ShareSink = { write: async () => {}, close: async () => {} };
    t = performance.now();
    await writeImmutableShares(randomPlan, [discard, discard, discard]);
    results.push({
      name: `chk encode ${sizeMiB} MiB k=3 N=10 (random key, 1 pass)`,
      mbPerSec: mb / ((performance.now() - t) / 1000),
      peakRssMiB: peakRssMiB(),
      notes: 'shares 0-2 written to a discarding sink, 3-9 computed and dropped',
    });

    t = performance.now();
    const hash = createHash('sha256');
    let out = 0;
    const readers = handles.map(fileReader);
    for await (const chunk of decodeImmutable(result.cap, readers)) {
      hash.update(chunk);
      out += chunk.length;
    }
    const decodeSeconds = (performance.now() - t) / 1000;
    if (out !== size) throw new Error(`decoded ${out} bytes, expected ${size}`);
    const expected = createHash('sha256');
    for await (const chunk of source()) expected.update(chunk);
    const ok = hash.digest('hex') === expected.digest('hex');
    if (!ok) throw new Error('decoded plaintext differs from the source');
    results.push({
      name: `chk decode ${sizeMiB} MiB k=3 N=10 (shares 0-2 from files)`,
      mbPerSec: mb / decodeSeconds,
      peakRssMiB: peakRssMiB(),
      notes: 'includes SHA-256 of the output for the check',
    });
    return results;
  } finally {
    await Promise.allSettled(handles.map((h) => h.close()));
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
