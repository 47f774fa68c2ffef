/**
 * Throughput of the zfec-compatible erasure codec: encode and decode MB/s (MB = 10^6 bytes of input data, the
 * k primary blocks) at k/n = 3/10 (Tahoe's default) and 25/100, for the WebAssembly SIMD and pure TypeScript
 * kernels, plus the process's peak resident set size.
 *
 * Each case codes a 1 MiB segment (Tahoe's default maximum segment size) repeatedly for about `durationMs`,
 * split into `runs` timed runs after a warm-up; the reported rate is the median run by wall-clock time. The
 * notes add the best run and the rate per CPU-second of this process (`process.cpuUsage`), which stays meaningful
 * when other processes compete for the cores.
 *
 * Run standalone with `node dist/bench/codec.js`.
 *
 * @module
 */
import { pathToFileURL } from 'node:url';
import { createCodec, type KernelName, wasmKernelVariant } from '../src/crypto/zfec/index.js';
import { type BenchResult, formatBenchTable } from './support.js';

/** Options for {@link benchCodec}. */
export interface BenchCodecOptions {
  /** Approximate time spent measuring each case (default 1500 ms). */
  durationMs?: number;
  /** Timed runs per case; the median is reported (default 5). */
  runs?: number;
}

const SEGMENT_BYTES = 1 << 20;

type Operation = 'encode' | 'encodeInto' | 'decode';

/** Measures every case and returns one result per case, in a fixed order. */
export async function benchCodec(options: BenchCodecOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 1500;
  const runs = options.runs ?? 5;
  const results: BenchResult[] = [];
  for (const [k, n] of [
    [3, 10],
    [25, 100],
  ] as const) {
    for (const implementation of ['wasm', 'js'] as const) {
      for (const operation of ['encode', 'encodeInto', 'decode'] as const) {
        results.push(measure(k, n, implementation, operation, durationMs, runs));
        // Let other work (and the garbage collector) run between cases.
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
  }
  return results;
}

function measure(
  k: number,
  n: number,
  implementation: KernelName,
  operation: Operation,
  durationMs: number,
  runs: number,
): BenchResult {
  const codec = createCodec(k, n, { implementation });
  const blockLength = Math.ceil(SEGMENT_BYTES / k);
  const primary = Array.from({ length: k }, (_, j) => pseudoRandomBlock(blockLength, j + 1));
  const allShares = Array.from({ length: n }, (_, i) => i);
  const outputs = allShares.map(() => new Uint8Array(blockLength));
  // Decoding from the last k shares is the worst case: every primary block must be reconstructed.
  const decodeNums = allShares.slice(n - k);
  const decodeBlocks = codec.encode(primary, decodeNums);

  const once =
    operation === 'encode'
      ? () => codec.encode(primary)
      : operation === 'encodeInto'
        ? () => codec.encodeInto(primary, allShares, outputs)
        : () => codec.decode(decodeBlocks, decodeNums);

  const inputMB = (k * blockLength) / 1e6;
  once(); // warm up: compile matrices and let the JIT settle
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let run = 0; run < runs; run++) {
    let iterations = 0;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    let elapsed = 0;
    do {
      once();
      iterations++;
      elapsed = performance.now() - start;
    } while (elapsed < durationMs / runs);
    const cpu = process.cpuUsage(cpuStart);
    rates.push((iterations * inputMB) / (elapsed / 1000));
    cpuRates.push((iterations * inputMB) / ((cpu.user + cpu.system) / 1e6));
  }
  const median = medianOf(rates);
  const best = Math.max(...rates);
  const kernel = implementation === 'wasm' ? `wasm ${wasmKernelVariant()}` : 'pure TS';
  const what =
    operation === 'encode'
      ? `all ${n} shares, fresh blocks`
      : operation === 'encodeInto'
        ? `all ${n} shares into reused buffers`
        : `from shares ${n - k}..${n - 1} (all ${k} primaries rebuilt)`;
  return {
    name: `zfec ${operation} ${k}/${n} ${implementation}`,
    mbPerSec: round(median),
    peakRssMiB: round(process.resourceUsage().maxRSS / 1024),
    notes: `${kernel}; 1 MiB segment, ${what}; best run ${round(best)} MB/s; ${round(medianOf(cpuRates))} MB per CPU-second`,
  };
}

function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Deterministic filler so every run codes the same bytes. */
function pseudoRandomBlock(length: number, seed: number): Uint8Array {
  const block = new Uint8Array(length);
  let x = seed * 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    block[i] = x & 0xff;
  }
  return block;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await benchCodec();
  console.log('zfec erasure codec (MB = 10^6 bytes of input data)');
  console.log(formatBenchTable(results));
}
