/**
 * `npm run bench`: every benchmark in turn, one table at the end. Paste the table into docs/performance.md
 * with the command that produced it.
 *
 * @module
 */
import { benchChk } from './chk.js';
import { benchCodec } from './codec.js';
import { benchFloor } from './floor.js';
import { benchGrid } from './grid.js';
import { type BenchResult, formatBenchTable } from './support.js';

const results: BenchResult[] = [];
for (const [name, bench] of [
  ['erasure codec', () => benchCodec()],
  ['CHK encode/decode', () => benchChk()],
  ['grid upload/download', () => benchGrid()],
  ['grid floor (required work only)', () => benchFloor()],
] as const) {
  process.stderr.write(`running: ${name} ...\n`);
  results.push(...(await bench()));
}
console.log(formatBenchTable(results));
