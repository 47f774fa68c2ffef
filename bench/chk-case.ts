/**
 * One case of the CHK benchmark (bench/chk.ts), run in its own process so that its peak RSS is its own:
 *
 * - `encode-convergent`: both passes; shares 0-2 are written to files in `dir`, shares 3-9 computed and dropped.
 * - `encode-random`: the single pass of a random-key encode; shares 0-2 go to a discarding sink.
 * - `decode`: the plaintext streamed back out of the files `encode-convergent` wrote, every block verified,
 *   and compared (by SHA-256, outside the timed part) with the generated source.
 *
 * @module
 */
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { formatCap } from '../src/storage/caps/format.js';
import { decodeImmutable } from '../src/storage/chk/decode-immutable.js';
import { planImmutableUpload, writeImmutableShares } from '../src/storage/chk/encoder.js';
import type { ShareReader } from '../src/storage/chk/share-reader.js';
import type { ShareSink } from '../src/storage/chk/share-sink.js';
import { writeFully } from '../src/util/write-fully.js';
import { pinYoungGeneration } from '../src/util/young-generation.js';
import { readJob } from './child.js';
import { generatedSource, peakRssMiB, SourceComparer } from './support.js';

/** What bench/chk.ts sends. */
export interface ChkJob {
  phase: 'encode-convergent' | 'encode-random' | 'decode';
  size: number;
  dir: string;
  cap?: string;
}

/** What this process answers. */
export interface ChkCaseResult {
  seconds: number;
  keySeconds?: number;
  peakRssMiB: number;
  cap?: string;
}

const SHARES_ON_DISK = 3;

function fileSink(handle: FileHandle): ShareSink {
  return {
    async write(offset, data) {
      await writeFully(handle, data, offset, 'a share file');
    },
    async close() {
      await handle.sync();
    },
  };
}

function fileReader(handle: FileHandle): ShareReader {
  const readInto = async (offset: number, target: Uint8Array): Promise<number> => {
    let done = 0;
    while (done < target.length) {
      const { bytesRead } = await handle.read(target, done, target.length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  };
  return {
    async read(offset, length) {
      const buffer = new Uint8Array(length);
      return buffer.subarray(0, await readInto(offset, buffer));
    },
    readInto,
  };
}

async function openShares(dir: string, flags: 'w+' | 'r'): Promise<FileHandle[]> {
  const handles: FileHandle[] = [];
  for (let i = 0; i < SHARES_ON_DISK; i++) handles.push(await open(join(dir, `share-${i}`), flags));
  return handles;
}

async function encodeConvergent(job: ChkJob): Promise<ChkCaseResult> {
  const source = generatedSource(job.size);
  const handles = await openShares(job.dir, 'w+');
  try {
    const t0 = performance.now();
    const plan = await planImmutableUpload(source, {
      convergenceSecret: new Uint8Array(32).fill(1),
      needed: 3,
      total: 10,
    });
    if (plan.kind !== 'CHK') throw new Error('expected a CHK plan');
    const keySeconds = (performance.now() - t0) / 1000;
    const result = await writeImmutableShares(plan, handles.map(fileSink));
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, keySeconds, peakRssMiB: peakRssMiB(), cap: formatCap(result.cap) };
  } finally {
    await Promise.allSettled(handles.map((h) => h.close()));
  }
}

async function encodeRandom(job: ChkJob): Promise<ChkCaseResult> {
  const t0 = performance.now();
  const plan = await planImmutableUpload(generatedSource(job.size)(), {
    needed: 3,
    total: 10,
    size: job.size,
  });
  if (plan.kind !== 'CHK') throw new Error('expected a CHK plan');
  const discard: ShareSink = { write: async () => {}, close: async () => {} };
  await writeImmutableShares(plan, [discard, discard, discard]);
  return { seconds: (performance.now() - t0) / 1000, peakRssMiB: peakRssMiB() };
}

async function decode(job: ChkJob): Promise<ChkCaseResult> {
  const handles = await openShares(job.dir, 'r');
  try {
    const t0 = performance.now();
    const check = new SourceComparer(generatedSource(job.size)());
    for await (const chunk of decodeImmutable(job.cap ?? '', handles.map(fileReader)))
      await check.feed(chunk);
    const seconds = (performance.now() - t0) / 1000;
    const peak = peakRssMiB();
    await check.finish('the decoded plaintext');
    return { seconds, peakRssMiB: peak };
  } finally {
    await Promise.allSettled(handles.map((h) => h.close()));
  }
}

// As the lafs CLI does (src/cli/main.ts), so that the RSS measured is what a `lafs` process would use.
pinYoungGeneration();
const job = await readJob<ChkJob>();
const run = { 'encode-convergent': encodeConvergent, 'encode-random': encodeRandom, decode }[job.phase];
process.stdout.write(`${JSON.stringify(await run(job))}\n`);
