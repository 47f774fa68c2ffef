/**
 * The WebAssembly SIMD kernel: compiles the module from {@link buildKernelModule} once per process and feeds it
 * blocks a chunk at a time through a fixed 1 MiB memory (so the kernel never grows memory, and its working set
 * stays in the CPU's L2 cache).
 *
 * Memory layout: nibble tables for every coefficient value at 0, the coefficient matrix after them (at most
 * 256 x 256 bytes), then the source chunks followed by the output chunks, each `stride` bytes apart.
 *
 * @module
 */
import { ZfecWasmUnavailableError } from './errors.js';
import { nibbleTables } from './gf256.js';
import type { MatrixApplier, MatrixKernel } from './kernel.js';
import { buildKernelModule, STEP_BYTES, TABLES_BYTES } from './wasm-simd-module.js';

const PAGES = 16;
const MEMORY_BYTES = PAGES * 65536;
const MATRIX_OFFSET = TABLES_BYTES;
const DATA_OFFSET = MATRIX_OFFSET + 256 * 256;
/** Upper bound on each block's chunk, so small codes still walk blocks in cache-sized pieces. */
const MAX_CHUNK = 64 * 1024;

type ApplyFn = (
  matrix: number,
  k: number,
  rows: number,
  src: number,
  dst: number,
  stride: number,
  len: number,
) => void;

interface KernelInstance {
  readonly apply: ApplyFn;
  readonly memory: Uint8Array;
  /** Whether the module uses `i8x16.relaxed_swizzle`. */
  readonly relaxed: boolean;
}

/**
 * The slice of the WebAssembly JS API used here. The project compiles against the ES library without the DOM
 * typings that declare `WebAssembly`, so it is reached through `globalThis` under this local type.
 */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}

let instance: KernelInstance | null | undefined;

/**
 * Compiles and instantiates the kernel on first call; returns `null` if this runtime lacks WebAssembly SIMD.
 * Prefers the relaxed-SIMD build where the runtime validates it.
 */
function loadInstance(): KernelInstance | null {
  if (instance !== undefined) return instance;
  instance = null;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (api === undefined) return instance;
  for (const relaxed of [true, false]) {
    const bytes = buildKernelModule(PAGES, relaxed);
    if (!api.validate(bytes)) continue;
    const wasm = new api.Instance(new api.Module(bytes), {});
    const memory = new Uint8Array((wasm.exports.memory as { buffer: ArrayBuffer }).buffer);
    for (let c = 0; c < 256; c++) nibbleTables(c, memory, c * 32);
    instance = { apply: wasm.exports.apply as ApplyFn, memory, relaxed };
    break;
  }
  return instance;
}

/** Whether this runtime can run the WebAssembly SIMD kernel (compiling it on first call). */
export function wasmKernelAvailable(): boolean {
  return loadInstance() !== null;
}

/** Which swizzle instruction the loaded kernel uses, or `undefined` if it is unavailable. */
export function wasmKernelVariant(): 'relaxed-simd' | 'simd128' | undefined {
  const loaded = loadInstance();
  if (loaded === null) return undefined;
  return loaded.relaxed ? 'relaxed-simd' : 'simd128';
}

/** The bytes of each block processed per call into WebAssembly, a multiple of {@link STEP_BYTES}. */
function chunkSize(blocks: number, len: number): number {
  const share = Math.floor((MEMORY_BYTES - DATA_OFFSET) / blocks / STEP_BYTES) * STEP_BYTES;
  const needed = Math.ceil(len / STEP_BYTES) * STEP_BYTES;
  return Math.max(STEP_BYTES, Math.min(share, needed, MAX_CHUNK));
}

/** The WebAssembly SIMD kernel; call {@link wasmKernelAvailable} before using it. */
export const wasmKernel: MatrixKernel = {
  name: 'wasm',
  compile(coefficients: Uint8Array, rows: number, k: number): MatrixApplier {
    const matrix = coefficients.slice(0, rows * k);
    return (src, out, len) => {
      const wasm = loadInstance();
      if (wasm === null) throw new ZfecWasmUnavailableError('the WebAssembly SIMD kernel is unavailable');
      const { memory, apply } = wasm;
      memory.set(matrix, MATRIX_OFFSET);
      const stride = chunkSize(k + rows, len);
      const dstOffset = DATA_OFFSET + k * stride;
      for (let start = 0; start < len; start += stride) {
        const count = Math.min(stride, len - start);
        for (let j = 0; j < k; j++)
          memory.set(src[j]!.subarray(start, start + count), DATA_OFFSET + j * stride);
        // Bytes past `count` in a chunk hold stale data; products are byte-wise, so they only spoil bytes that
        // are never copied out.
        apply(
          MATRIX_OFFSET,
          k,
          rows,
          DATA_OFFSET,
          dstOffset,
          stride,
          Math.ceil(count / STEP_BYTES) * STEP_BYTES,
        );
        for (let r = 0; r < rows; r++) {
          const from = dstOffset + r * stride;
          out[r]!.set(memory.subarray(from, from + count), start);
        }
      }
    };
  },
};
