/**
 * The WebAssembly SIMD multiply-accumulate kernel, written as instructions for {@link assembleModule}.
 *
 * GF(2^8) multiplication by a constant c is linear over XOR, so `c*x = c*(x & 15) ^ c*(x >> 4 << 4)`: two
 * 16-entry tables per coefficient, looked up sixteen bytes at a time with `i8x16.swizzle` (the well-known
 * nibble-table method of ISA-L and others). Every coefficient value's 32 bytes of tables sit at the start of
 * memory, so a coefficient byte c finds its tables at address `c * 32`.
 *
 * Exported function `apply(matrix, k, rows, src, dst, stride, len)`:
 * for each row r < rows and each 64-byte step `pos < len`,
 * `dst[r*stride + pos ..+64] = XOR over j < k of matrix[r*k + j] * src[j*stride + pos ..+64]`.
 * `len` and `stride` must be multiples of 64 and `k >= 1`.
 *
 * Rows are computed in pairs (each source vector's nibbles are split once and used for both rows), then a
 * last odd row alone. The vector registers in use stay within the 16 that x86-64 code generators allocate.
 *
 * @module
 */
import { assembleModule, CodeWriter, type FunctionSpec, Op, SimdOp, ValType } from './wasm-emitter.js';

/** Bytes of nibble tables: 256 coefficients x 32 bytes, at address 0. */
export const TABLES_BYTES = 256 * 32;
/** Bytes processed per inner step (four 16-byte vectors). */
export const STEP_BYTES = 64;

// Parameters, then locals, by index.
const MATRIX = 0;
const K = 1;
const ROWS = 2;
const SRC = 3;
const DST = 4;
const STRIDE = 5;
const LEN = 6;
const I32_LOCALS = { R: 7, POS: 8, J: 9, SP: 10, CP: 11, TP: 12, DP: 13, ROW_MATRIX: 14 } as const;
const { R, POS, J, SP, CP, TP, DP, ROW_MATRIX } = I32_LOCALS;
const V128_BASE = 15;
/** v128 locals: 8 accumulators, 4 tables (low/high for two rows), the source vector, its nibbles, the mask. */
const ACC = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => V128_BASE + i);
const TABLE_LO = [V128_BASE + 8, V128_BASE + 9];
const TABLE_HI = [V128_BASE + 10, V128_BASE + 11];
const V = V128_BASE + 12;
const NIB_LO = V128_BASE + 13;
const NIB_HI = V128_BASE + 14;
const MASK = V128_BASE + 15;
const V128_LOCALS = 16;

/**
 * Emits the loop over rows `r, r+1, ..., r+rowsPerPass-1` while `r + rowsPerPass <= rows`, processing
 * `STEP_BYTES` per step as `STEP_BYTES / 16 / rowsPerPass`... vectors per inner iteration (`vectors`).
 */
function emitRowPasses(c: CodeWriter, rowsPerPass: number, vectors: number, swizzle: number): void {
  const accFor = (q: number, u: number) => ACC[q * vectors + u]!;
  c.block().loop(); // row passes
  c.get(R).i32(rowsPerPass).op(Op.i32Add).get(ROWS).op(Op.i32GtU).brIf(1);
  c.get(MATRIX).get(R).get(K).op(Op.i32Mul).op(Op.i32Add).set(ROW_MATRIX);
  c.get(DST).get(R).get(STRIDE).op(Op.i32Mul).op(Op.i32Add).set(DP);
  c.i32(0).set(POS);
  c.block().loop(); // steps of 16*vectors bytes
  c.get(POS).get(LEN).op(Op.i32GeU).brIf(1);
  for (let q = 0; q < rowsPerPass; q++) for (let u = 0; u < vectors; u++) c.v128Zero().set(accFor(q, u));
  c.get(SRC).get(POS).op(Op.i32Add).set(SP);
  c.get(ROW_MATRIX).set(CP);
  c.get(K).set(J);
  c.loop(); // sources
  for (let q = 0; q < rowsPerPass; q++) {
    c.get(CP);
    if (q > 0) c.get(K).i32(q).op(Op.i32Mul).op(Op.i32Add);
    c.i32Load8U().i32(5).op(Op.i32Shl).tee(TP).simdMem(SimdOp.v128Load, 0).set(TABLE_LO[q]!);
    c.get(TP).simdMem(SimdOp.v128Load, 16).set(TABLE_HI[q]!);
  }
  for (let u = 0; u < vectors; u++) {
    c.get(SP)
      .simdMem(SimdOp.v128Load, 16 * u)
      .tee(V)
      .get(MASK)
      .simd(SimdOp.v128And)
      .set(NIB_LO);
    c.get(V).i32(4).simd(SimdOp.i16x8ShrU).get(MASK).simd(SimdOp.v128And).set(NIB_HI);
    for (let q = 0; q < rowsPerPass; q++) {
      const acc = accFor(q, u);
      c.get(acc).get(TABLE_LO[q]!).get(NIB_LO).simd(swizzle).simd(SimdOp.v128Xor);
      c.get(TABLE_HI[q]!).get(NIB_HI).simd(swizzle).simd(SimdOp.v128Xor).set(acc);
    }
  }
  c.get(SP).get(STRIDE).op(Op.i32Add).set(SP);
  c.get(CP).i32(1).op(Op.i32Add).set(CP);
  c.get(J).i32(1).op(Op.i32Sub).tee(J).brIf(0);
  c.end(); // sources
  for (let q = 0; q < rowsPerPass; q++) {
    c.get(DP).get(POS).op(Op.i32Add);
    if (q > 0) c.get(STRIDE).i32(q).op(Op.i32Mul).op(Op.i32Add);
    c.set(TP);
    for (let u = 0; u < vectors; u++)
      c.get(TP)
        .get(accFor(q, u))
        .simdMem(SimdOp.v128Store, 16 * u);
  }
  c.get(POS)
    .i32(16 * vectors)
    .op(Op.i32Add)
    .set(POS);
  c.br(0);
  c.end().end(); // steps
  c.get(R).i32(rowsPerPass).op(Op.i32Add).set(R);
  c.br(0);
  c.end().end(); // row passes
}

/**
 * Builds the kernel module with `pages` 64 KiB pages of memory. With `relaxed`, uses `i8x16.relaxed_swizzle`
 * (identical results here, since every index is below 16, and cheaper on x86); otherwise `i8x16.swizzle`.
 */
export function buildKernelModule(pages: number, relaxed: boolean): Uint8Array {
  const swizzle = relaxed ? SimdOp.i8x16RelaxedSwizzle : SimdOp.i8x16Swizzle;
  const c = new CodeWriter();
  c.i32(15).simd(SimdOp.i8x16Splat).set(MASK);
  c.i32(0).set(R);
  emitRowPasses(c, 2, 2, swizzle);
  emitRowPasses(c, 1, 4, swizzle);

  const { i32, v128 } = ValType;
  const apply: FunctionSpec = {
    exportName: 'apply',
    params: [i32, i32, i32, i32, i32, i32, i32],
    locals: [...Object.values(I32_LOCALS).map(() => i32), ...Array.from({ length: V128_LOCALS }, () => v128)],
    body: c,
  };
  return assembleModule(pages, [apply]);
}
