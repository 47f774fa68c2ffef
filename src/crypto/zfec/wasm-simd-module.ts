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
const R = 7;
const POS = 8;
const J = 9;
const SP = 10;
const CP = 11;
const TP = 12;
const DP = 13;
const ROW_MATRIX = 14;
const ACC = [15, 16, 17, 18] as const;
const LO = 19;
const HI = 20;
const V = 21;
const MASK = 22;

/**
 * Builds the kernel module with `pages` 64 KiB pages of memory. With `relaxed`, uses `i8x16.relaxed_swizzle`
 * (identical results here, since every index is below 16, and cheaper on x86); otherwise `i8x16.swizzle`.
 */
export function buildKernelModule(pages: number, relaxed: boolean): Uint8Array {
  const swizzle = relaxed ? SimdOp.i8x16RelaxedSwizzle : SimdOp.i8x16Swizzle;
  const c = new CodeWriter();
  c.i32(15).simd(SimdOp.i8x16Splat).set(MASK);
  c.i32(0).set(R);
  c.block().loop(); // rows
  c.get(R).get(ROWS).op(Op.i32GeU).brIf(1);
  c.get(MATRIX).get(R).get(K).op(Op.i32Mul).op(Op.i32Add).set(ROW_MATRIX);
  c.get(DST).get(R).get(STRIDE).op(Op.i32Mul).op(Op.i32Add).set(DP);
  c.i32(0).set(POS);
  c.block().loop(); // 64-byte steps
  c.get(POS).get(LEN).op(Op.i32GeU).brIf(1);
  for (const acc of ACC) c.v128Zero().set(acc);
  c.get(SRC).get(POS).op(Op.i32Add).set(SP);
  c.get(ROW_MATRIX).set(CP);
  c.get(K).set(J);
  c.loop(); // sources
  c.get(CP).i32Load8U().i32(5).op(Op.i32Shl).tee(TP).simdMem(SimdOp.v128Load, 0).set(LO);
  c.get(TP).simdMem(SimdOp.v128Load, 16).set(HI);
  ACC.forEach((acc, u) => {
    c.get(acc);
    c.get(LO)
      .get(SP)
      .simdMem(SimdOp.v128Load, 16 * u)
      .tee(V)
      .get(MASK)
      .simd(SimdOp.v128And)
      .simd(swizzle);
    c.simd(SimdOp.v128Xor);
    c.get(HI).get(V).i32(4).simd(SimdOp.i8x16ShrU).simd(swizzle);
    c.simd(SimdOp.v128Xor).set(acc);
  });
  c.get(SP).get(STRIDE).op(Op.i32Add).set(SP);
  c.get(CP).i32(1).op(Op.i32Add).set(CP);
  c.get(J).i32(1).op(Op.i32Sub).tee(J).brIf(0);
  c.end(); // sources
  c.get(DP).get(POS).op(Op.i32Add).set(TP);
  ACC.forEach((acc, u) => {
    c.get(TP)
      .get(acc)
      .simdMem(SimdOp.v128Store, 16 * u);
  });
  c.get(POS).i32(STEP_BYTES).op(Op.i32Add).set(POS);
  c.br(0);
  c.end().end(); // 64-byte steps
  c.get(R).i32(1).op(Op.i32Add).set(R);
  c.br(0);
  c.end().end(); // rows

  const { i32, v128 } = ValType;
  const apply: FunctionSpec = {
    exportName: 'apply',
    params: [i32, i32, i32, i32, i32, i32, i32],
    locals: [i32, i32, i32, i32, i32, i32, i32, i32, v128, v128, v128, v128, v128, v128, v128, v128],
    body: c,
  };
  return assembleModule(pages, [apply]);
}
