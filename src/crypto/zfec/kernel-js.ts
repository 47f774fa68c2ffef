/**
 * The pure-TypeScript multiply-accumulate kernel.
 *
 * Output rows are taken four at a time. For each group of four rows and each source j there is one 256-entry
 * `Uint32Array` table whose entry x packs the four products `c[r][j] * x` into byte lanes 0..3. A 32-bit word
 * of a source (four data bytes at positions p = 0..3) then costs four lookups, one per position, and XORing
 * those over all k sources gives, for each position p, a word holding that position's output byte of all four
 * rows. A 4x4 byte transpose turns the four accumulators into one output word per row. That is about a quarter
 * of the work of multiplying byte by byte.
 *
 * Sources are copied a chunk at a time into an interleaved scratch buffer (word w of source j at `w*k + j`) so
 * the inner loop walks one array. Lanes are addressed by shifts, never by memory order, so results do not
 * depend on the platform's byte order.
 *
 * @module
 */
import { GF_MUL_TABLE } from './gf256.js';
import type { MatrixApplier, MatrixKernel } from './kernel.js';

/** Words of each source interleaved per chunk (4 KiB of each block). */
const CHUNK_WORDS = 1024;
/** Compiled matrices keep their tables up to this size; bigger ones rebuild them on each call. */
const RETAINED_TABLE_BYTES = 512 * 1024;

/** Below this block length, building tables costs more than multiplying byte by byte. */
const SMALL_BLOCK_BYTES = 1024;

/** The portable kernel; always available. */
export const jsKernel: MatrixKernel = {
  name: 'js',
  compile(coefficients: Uint8Array, rows: number, k: number): MatrixApplier {
    const matrix = coefficients.slice(0, rows * k);
    const retain = Math.ceil(rows / 4) * k * 1024 <= RETAINED_TABLE_BYTES;
    let retained: Uint32Array[] | undefined;
    return (src, out, len) => {
      if (retained === undefined && len < SMALL_BLOCK_BYTES) {
        applyBytewise(matrix, rows, k, src, out, 0, len);
        return;
      }
      const tables = retained ?? buildGroupTables(matrix, rows, k);
      if (retain) retained = tables;
      applyMatrix(matrix, tables, rows, k, src, out, len);
    };
  },
};

/** out[r][from..to) = XOR_j matrix[r*k + j] * src[j][from..to), one byte at a time. */
function applyBytewise(
  matrix: Uint8Array,
  rows: number,
  k: number,
  src: readonly Uint8Array[],
  out: readonly Uint8Array[],
  from: number,
  to: number,
): void {
  for (let r = 0; r < rows; r++) {
    const d = out[r]!;
    for (let i = from; i < to; i++) d[i] = 0;
    for (let j = 0; j < k; j++) {
      const c = matrix[r * k + j]!;
      if (c === 0) continue;
      const s = src[j]!;
      const products = c << 8;
      for (let i = from; i < to; i++) d[i]! ^= GF_MUL_TABLE[products | s[i]!]!;
    }
  }
}

/** For each group of four rows, a `k*256` table: entry `j*256 + x` packs `c[4g+q][j] * x` into lane q. */
function buildGroupTables(matrix: Uint8Array, rows: number, k: number): Uint32Array[] {
  const tables: Uint32Array[] = [];
  for (let first = 0; first < rows; first += 4) {
    const table = new Uint32Array(k * 256);
    for (let q = 0; q < 4 && first + q < rows; q++) {
      const shift = 8 * q;
      for (let j = 0; j < k; j++) {
        const products = matrix[(first + q) * k + j]! << 8;
        const base = j << 8;
        for (let x = 0; x < 256; x++) table[base | x]! |= GF_MUL_TABLE[products | x]! << shift;
      }
    }
    tables.push(table);
  }
  return tables;
}

let interleaved = new Uint32Array(0);
/** Stands in for the missing rows of a last group of fewer than four. */
const discard = new Uint32Array(CHUNK_WORDS);

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
  const alignedSrc = src.map((block) => ((block.byteOffset & 3) === 0 ? block : block.slice(0, len)));
  const alignedOut = out.map((block) => (block.byteOffset & 3) === 0);
  const dst = out.map((block, r) => (alignedOut[r] ? block : new Uint8Array(len)));
  const src32 = alignedSrc.map((block) => new Uint32Array(block.buffer, block.byteOffset, words));
  const dst32 = dst.map((block) => new Uint32Array(block.buffer, block.byteOffset, words));
  if (k !== 3 && interleaved.length < CHUNK_WORDS * k) interleaved = new Uint32Array(CHUNK_WORDS * k);
  const il = interleaved;
  for (let start = 0; start < words; start += CHUNK_WORDS) {
    const count = Math.min(CHUNK_WORDS, words - start);
    if (k === 3) {
      // Tahoe's default k: sources are read in place, with the source loop unrolled.
      for (let g = 0; g < tables.length; g++) {
        const [o0, o1, o2, o3] = groupOutputs(dst32, rows, 4 * g, start, count);
        groupDirect3(tables[g]!, src32[0]!, src32[1]!, src32[2]!, start, count, o0, o1, o2, o3);
      }
      continue;
    }
    for (let j = 0; j < k; j++) {
      const s = src32[j]!;
      for (let w = 0; w < count; w++) il[w * k + j] = s[start + w]!;
    }
    for (let g = 0; g < tables.length; g++) {
      const [o0, o1, o2, o3] = groupOutputs(dst32, rows, 4 * g, start, count);
      groupChunk(tables[g]!, il, k, count, o0, o1, o2, o3);
    }
  }

  // The last len % 4 bytes, byte by byte; then copy out rows that were computed in aligned scratch.
  applyBytewise(matrix, rows, k, alignedSrc, dst, words << 2, len);
  for (let r = 0; r < rows; r++) if (!alignedOut[r]) out[r]!.set(dst[r]!.subarray(0, len));
}

/**
 * The four output word arrays of the row group starting at `first`, as views of words `start..start+count`;
 * rows past the end of the matrix get a scratch array whose contents are discarded.
 */
function groupOutputs(
  dst32: readonly Uint32Array[],
  rows: number,
  first: number,
  start: number,
  count: number,
): [Uint32Array, Uint32Array, Uint32Array, Uint32Array] {
  const view = (r: number) => (r < rows ? dst32[r]!.subarray(start, start + count) : discard);
  return [view(first), view(first + 1), view(first + 2), view(first + 3)];
}

/** Computes `count` words of four output rows from the interleaved sources (see the module comment). */
function groupChunk(
  t: Uint32Array,
  il: Uint32Array,
  k: number,
  count: number,
  o0: Uint32Array,
  o1: Uint32Array,
  o2: Uint32Array,
  o3: Uint32Array,
): void {
  for (let w = 0; w < count; w++) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    const base = w * k;
    for (let j = 0; j < k; j++) {
      const x = il[base + j]!;
      const tb = j << 8;
      a0 ^= t[tb | (x & 255)]!;
      a1 ^= t[tb | ((x >>> 8) & 255)]!;
      a2 ^= t[tb | ((x >>> 16) & 255)]!;
      a3 ^= t[tb | (x >>> 24)]!;
    }
    storeTransposed(a0, a1, a2, a3, w, o0, o1, o2, o3);
  }
}

/** {@link groupChunk} for exactly three sources, read in place from word `start` on. */
function groupDirect3(
  t: Uint32Array,
  x: Uint32Array,
  y: Uint32Array,
  z: Uint32Array,
  start: number,
  count: number,
  o0: Uint32Array,
  o1: Uint32Array,
  o2: Uint32Array,
  o3: Uint32Array,
): void {
  for (let w = 0; w < count; w++) {
    const u = x[start + w]!;
    const v = y[start + w]!;
    const s = z[start + w]!;
    const a0 = t[u & 255]! ^ t[256 | (v & 255)]! ^ t[512 | (s & 255)]!;
    const a1 = t[(u >>> 8) & 255]! ^ t[256 | ((v >>> 8) & 255)]! ^ t[512 | ((s >>> 8) & 255)]!;
    const a2 = t[(u >>> 16) & 255]! ^ t[256 | ((v >>> 16) & 255)]! ^ t[512 | ((s >>> 16) & 255)]!;
    const a3 = t[u >>> 24]! ^ t[256 | (v >>> 24)]! ^ t[512 | (s >>> 24)]!;
    storeTransposed(a0, a1, a2, a3, w, o0, o1, o2, o3);
  }
}

/**
 * Transposes four accumulators (accumulator p holds byte position p of rows 0..3 in lanes 0..3) and stores
 * row q's word at index `w` of `o<q>`.
 */
function storeTransposed(
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  w: number,
  o0: Uint32Array,
  o1: Uint32Array,
  o2: Uint32Array,
  o3: Uint32Array,
): void {
  const a = (a0 & 0x00ff00ff) | ((a1 & 0x00ff00ff) << 8);
  const b = ((a0 >>> 8) & 0x00ff00ff) | (a1 & 0xff00ff00);
  const c = (a2 & 0x00ff00ff) | ((a3 & 0x00ff00ff) << 8);
  const d = ((a2 >>> 8) & 0x00ff00ff) | (a3 & 0xff00ff00);
  o0[w] = (a & 0xffff) | (c << 16);
  o1[w] = (b & 0xffff) | (d << 16);
  o2[w] = (a >>> 16) | (c & 0xffff0000);
  o3[w] = (b >>> 16) | (d & 0xffff0000);
}
