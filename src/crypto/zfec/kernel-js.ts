/**
 * The pure-TypeScript multiply-accumulate kernel.
 *
 * It works on 32-bit words: for each coefficient c it precomputes four 256-entry tables holding c*x shifted to
 * each byte lane, so one word of a source block costs four lookups and no per-byte loads or stores. Each
 * output word accumulates up to four sources in a register before it is stored; blocks are walked in chunks so
 * the output stays in the L1 cache while further groups of sources are added in. The tables place each product
 * back in the lane its byte came from, so the result does not depend on the platform's byte order.
 *
 * @module
 */
import { GF_MUL_TABLE } from './gf256.js';
import type { MatrixApplier, MatrixKernel } from './kernel.js';

/** Words per chunk: 8 KiB of each block. */
const CHUNK_WORDS = 2048;

/** The portable kernel; always available. */
export const jsKernel: MatrixKernel = {
  name: 'js',
  compile(coefficients: Uint8Array, rows: number, k: number): MatrixApplier {
    const matrix = coefficients.slice(0, rows * k);
    const tables = Array.from(matrix, (c) => laneTables(c));
    return (src, out, len) => applyMatrix(matrix, tables, rows, k, src, out, len);
  },
};

/** Lane tables by coefficient, built on first use (at most 256 x 4 KiB). */
const laneTableCache: (Uint32Array | undefined)[] = [];

/** Four 256-entry tables: entry `lane*256 + x` is (c*x) << (8*lane). */
function laneTables(c: number): Uint32Array {
  const cached = laneTableCache[c];
  if (cached !== undefined) return cached;
  const t = new Uint32Array(1024);
  laneTableCache[c] = t;
  for (let x = 0; x < 256; x++) {
    const p = GF_MUL_TABLE[(c << 8) | x]!;
    t[x] = p;
    t[256 | x] = p << 8;
    t[512 | x] = p << 16;
    t[768 | x] = (p << 24) >>> 0;
  }
  return t;
}

function applyMatrix(
  matrix: Uint8Array,
  tables: readonly Uint32Array[],
  rows: number,
  k: number,
  src: readonly Uint8Array[],
  out: readonly Uint8Array[],
  len: number,
): void {
  const words = len >>> 2;
  const alignedSrc = src.map((block) => alignedCopy(block, len));
  const alignedOut = out.map((block) => (block.byteOffset & 3) === 0);
  const src32 = alignedSrc.map((block) => new Uint32Array(block.buffer, block.byteOffset, words));
  const dst = out.map((block, r) => (alignedOut[r] ? block : new Uint8Array(len)));
  const dst32 = dst.map((block) => new Uint32Array(block.buffer, block.byteOffset, words));

  for (let start = 0; start < words; start += CHUNK_WORDS) {
    const end = Math.min(words, start + CHUNK_WORDS);
    for (let r = 0; r < rows; r++) {
      const d = dst32[r]!;
      for (let j = 0; j < k; j += 4) {
        const base = r * k + j;
        const first = j === 0;
        const group = Math.min(4, k - j);
        if (group === 4) {
          add4(d, src32, tables, base, j, start, end, first);
        } else if (group === 3) {
          add3(
            d,
            src32[j]!,
            src32[j + 1]!,
            src32[j + 2]!,
            tables[base]!,
            tables[base + 1]!,
            tables[base + 2]!,
            start,
            end,
            first,
          );
        } else if (group === 2) {
          add2(d, src32[j]!, src32[j + 1]!, tables[base]!, tables[base + 1]!, start, end, first);
        } else {
          add1(d, src32[j]!, tables[base]!, start, end, first);
        }
      }
    }
  }

  // The last len % 4 bytes, byte by byte.
  for (let r = 0; r < rows; r++) {
    const d = dst[r]!;
    for (let i = words << 2; i < len; i++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc ^= GF_MUL_TABLE[(matrix[r * k + j]! << 8) | alignedSrc[j]![i]!]!;
      d[i] = acc;
    }
    if (!alignedOut[r]) out[r]!.set(d.subarray(0, len));
  }
}

/** Returns `block` itself if it can be viewed as 32-bit words, else an aligned copy of its first `len` bytes. */
function alignedCopy(block: Uint8Array, len: number): Uint8Array {
  return (block.byteOffset & 3) === 0 ? block : block.slice(0, len);
}

/** c*w for one word, four lane lookups. */
function mulWord(t: Uint32Array, w: number): number {
  return t[w & 255]! ^ t[256 | ((w >>> 8) & 255)]! ^ t[512 | ((w >>> 16) & 255)]! ^ t[768 | (w >>> 24)]!;
}

function add1(d: Uint32Array, a: Uint32Array, ta: Uint32Array, start: number, end: number, first: boolean) {
  if (first) for (let i = start; i < end; i++) d[i] = mulWord(ta, a[i]!);
  else for (let i = start; i < end; i++) d[i]! ^= mulWord(ta, a[i]!);
}

function add2(
  d: Uint32Array,
  a: Uint32Array,
  b: Uint32Array,
  ta: Uint32Array,
  tb: Uint32Array,
  start: number,
  end: number,
  first: boolean,
) {
  if (first) for (let i = start; i < end; i++) d[i] = mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!);
  else for (let i = start; i < end; i++) d[i]! ^= mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!);
}

function add3(
  d: Uint32Array,
  a: Uint32Array,
  b: Uint32Array,
  c: Uint32Array,
  ta: Uint32Array,
  tb: Uint32Array,
  tc: Uint32Array,
  start: number,
  end: number,
  first: boolean,
) {
  if (first)
    for (let i = start; i < end; i++) d[i] = mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!) ^ mulWord(tc, c[i]!);
  else
    for (let i = start; i < end; i++) d[i]! ^= mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!) ^ mulWord(tc, c[i]!);
}

function add4(
  d: Uint32Array,
  src32: readonly Uint32Array[],
  tables: readonly Uint32Array[],
  base: number,
  j: number,
  start: number,
  end: number,
  first: boolean,
) {
  const a = src32[j]!;
  const b = src32[j + 1]!;
  const c = src32[j + 2]!;
  const e = src32[j + 3]!;
  const ta = tables[base]!;
  const tb = tables[base + 1]!;
  const tc = tables[base + 2]!;
  const te = tables[base + 3]!;
  if (first) {
    for (let i = start; i < end; i++) {
      d[i] = mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!) ^ mulWord(tc, c[i]!) ^ mulWord(te, e[i]!);
    }
  } else {
    for (let i = start; i < end; i++) {
      d[i]! ^= mulWord(ta, a[i]!) ^ mulWord(tb, b[i]!) ^ mulWord(tc, c[i]!) ^ mulWord(te, e[i]!);
    }
  }
}
