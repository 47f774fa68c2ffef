/**
 * What every benchmark shares: the result shape, generated data, peak RSS, and the table printer.
 *
 * @module
 */
import { createCipheriv } from 'node:crypto';

/** One measured case. MB = 10^6 bytes. */
export interface BenchResult {
  name: string;
  mbPerSec: number;
  peakRssMiB: number;
  notes?: string;
}

const CHUNK = 1 << 20;

/**
 * A re-readable plaintext source of `size` bytes that never holds more than a small pseudo-random pool: 1 MiB
 * chunks cut at shifting offsets from a 4 MiB pool (incompressible, and the same on every pass and in every
 * process for the same `seed`, so one process can check what another uploaded).
 */
export function generatedSource(size: number, seed = 1): () => AsyncIterable<Uint8Array> {
  const key = new Uint8Array(16).fill(seed & 0xff);
  const pool = createCipheriv('aes-128-ctr', key, new Uint8Array(16)).update(
    new Uint8Array(4 * CHUNK + 4096),
  );
  return async function* () {
    for (let pos = 0, i = 0; pos < size; pos += CHUNK, i++) {
      const n = Math.min(CHUNK, size - pos);
      const start = (i * 4099) % (pool.length - n);
      yield pool.subarray(start, start + n);
    }
  };
}

/** This process's peak resident set size so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Results as an aligned text table. */
export function formatBenchTable(results: readonly BenchResult[]): string {
  const header = ['case', 'MB/s', 'peak RSS MiB', 'notes'];
  const rows = results.map((r) => [r.name, r.mbPerSec.toFixed(1), r.peakRssMiB.toFixed(1), r.notes ?? '']);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Checks bytes as they arrive against a {@link generatedSource}, by comparing them in place: a memory compare
 * costs a few ms per 100 MiB where hashing the output costs about 50, so the check can sit inside a timed
 * loop (a download) without slowing what is timed.
 */
export class SourceComparer {
  readonly #expected: AsyncIterator<Uint8Array>;
  #pending: Uint8Array = new Uint8Array(0);
  #position = 0;
  #firstDifference: number | undefined;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.#expected = source[Symbol.asyncIterator]();
  }

  /** Compares the next bytes of the stream with the source's. */
  async feed(chunk: Uint8Array): Promise<void> {
    let done = 0;
    while (done < chunk.length) {
      if (this.#pending.length === 0) {
        const next = await this.#expected.next();
        if (next.done) {
          this.#firstDifference ??= this.#position;
          this.#position += chunk.length - done;
          return;
        }
        this.#pending = next.value;
      }
      const n = Math.min(this.#pending.length, chunk.length - done);
      if (
        this.#firstDifference === undefined &&
        Buffer.compare(chunk.subarray(done, done + n), this.#pending.subarray(0, n)) !== 0
      ) {
        this.#firstDifference = this.#position;
      }
      this.#pending = this.#pending.subarray(n);
      this.#position += n;
      done += n;
    }
  }

  /** Throws unless the stream carried exactly the source's bytes. */
  async finish(what: string): Promise<void> {
    const rest = this.#pending.length > 0 ? { done: false } : await this.#expected.next();
    if (!rest.done) this.#firstDifference ??= this.#position;
    if (this.#firstDifference !== undefined) {
      throw new Error(`${what} differs from the source from byte ${this.#firstDifference} on`);
    }
  }
}
