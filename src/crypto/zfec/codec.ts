/**
 * The zfec-compatible systematic Reed-Solomon codec: validation, matrix caches, and the glue between the
 * public {@link ErasureCodec} API and a multiply-accumulate kernel.
 *
 * @module
 */
import { allocUninitialized } from './alloc.js';
import { ZfecInternalError } from './errors.js';
import type { MatrixApplier, MatrixKernel } from './kernel.js';
import { LruCache } from './lru.js';
import { buildEncodeMatrix, invertMatrix } from './matrix.js';
import { checkBlocks, checkNoOverlap, checkOutputs, checkParameters, checkShareNums } from './validate.js';

/**
 * A k-of-n erasure code, byte-identical to zfec (`zfec.Encoder`/`zfec.Decoder`), as Tahoe-LAFS uses for CHK
 * and mutable files: every segment is split into k blocks and coded into n (Tahoe
 * `docs/specifications/file-encoding.rst`).
 */
export interface ErasureCodec {
  /** Number of blocks needed to recover the data. */
  readonly k: number;
  /** Total number of share blocks the code defines (share numbers 0..n-1). */
  readonly n: number;
  /**
   * k equal-length primary blocks in; returns fresh blocks for `shareNums` (default 0..n-1), each of the same
   * length. Blocks 0..k-1 equal the primary blocks (the code is systematic).
   */
  encode(primary: readonly Uint8Array[], shareNums?: readonly number[]): Uint8Array[];
  /**
   * Any k distinct shares' blocks (equal length) with their share numbers, in any order, in; returns fresh
   * copies of the k primary blocks, in order.
   */
  decode(blocks: readonly Uint8Array[], shareNums: readonly number[]): Uint8Array[];
}

/** An {@link ErasureCodec} that can also write into caller-supplied buffers (no per-call allocation). */
export interface BufferedErasureCodec extends ErasureCodec {
  /** Which kernel computes the products. */
  readonly implementation: MatrixKernel['name'];
  /** Like `encode`, but writes block `shareNums[i]` into `outputs[i]` (each at least the block length). */
  encodeInto(
    primary: readonly Uint8Array[],
    shareNums: readonly number[],
    outputs: readonly Uint8Array[],
  ): void;
  /** Like `decode`, but writes primary block i into `outputs[i]` (k buffers, each at least the block length). */
  decodeInto(
    blocks: readonly Uint8Array[],
    shareNums: readonly number[],
    outputs: readonly Uint8Array[],
  ): void;
}

/** How many distinct share-number sets each codec keeps compiled matrices for. */
const MATRIX_CACHE_ENTRIES = 32;

/** Encoding matrices are shared between codecs with the same (k, n). */
const encodeMatrices = new LruCache<number, Uint8Array>(32);

interface DecodePlan {
  /** The primary block numbers the matrix reconstructs, ascending. */
  readonly missing: readonly number[];
  readonly apply: MatrixApplier;
}

/** The codec over a given kernel; construct it through `createCodec`. */
export class ZfecCodec implements BufferedErasureCodec {
  readonly k: number;
  readonly n: number;
  readonly implementation: MatrixKernel['name'];
  readonly #kernel: MatrixKernel;
  readonly #encodeMatrix: Uint8Array;
  readonly #encoders = new LruCache<string, MatrixApplier>(MATRIX_CACHE_ENTRIES);
  readonly #decoders = new LruCache<string, DecodePlan>(MATRIX_CACHE_ENTRIES);
  readonly #allShares: readonly number[];

  constructor(k: number, n: number, kernel: MatrixKernel) {
    checkParameters(k, n);
    this.k = k;
    this.n = n;
    this.#kernel = kernel;
    this.implementation = kernel.name;
    this.#encodeMatrix = encodeMatrices.getOrCreate(k * 1024 + n, () => buildEncodeMatrix(k, n));
    this.#allShares = Array.from({ length: n }, (_, i) => i);
  }

  encode(primary: readonly Uint8Array[], shareNums?: readonly number[]): Uint8Array[] {
    const length = checkBlocks(primary, this.k, 'encode: primary');
    const nums =
      shareNums === undefined ? this.#allShares : checkShareNums(shareNums, this.n, 'encode: shareNums');
    const outputs = nums.map(() => allocUninitialized(length));
    this.#encode(primary, nums, outputs, length);
    return outputs;
  }

  encodeInto(
    primary: readonly Uint8Array[],
    shareNums: readonly number[],
    outputs: readonly Uint8Array[],
  ): void {
    const length = checkBlocks(primary, this.k, 'encodeInto: primary');
    const nums = checkShareNums(shareNums, this.n, 'encodeInto: shareNums');
    checkOutputs(outputs, nums.length, length, 'encodeInto: outputs');
    checkNoOverlap(primary, outputs, length, 'encodeInto');
    this.#encode(primary, nums, outputs, length);
  }

  decode(blocks: readonly Uint8Array[], shareNums: readonly number[]): Uint8Array[] {
    const length = checkBlocks(blocks, this.k, 'decode: blocks');
    const nums = checkShareNums(shareNums, this.n, 'decode: shareNums', this.k);
    const outputs = Array.from({ length: this.k }, () => allocUninitialized(length));
    this.#decode(blocks, nums, outputs, length);
    return outputs;
  }

  decodeInto(
    blocks: readonly Uint8Array[],
    shareNums: readonly number[],
    outputs: readonly Uint8Array[],
  ): void {
    const length = checkBlocks(blocks, this.k, 'decodeInto: blocks');
    const nums = checkShareNums(shareNums, this.n, 'decodeInto: shareNums', this.k);
    checkOutputs(outputs, this.k, length, 'decodeInto: outputs');
    checkNoOverlap(blocks, outputs, length, 'decodeInto');
    this.#decode(blocks, nums, outputs, length);
  }

  #encode(
    primary: readonly Uint8Array[],
    nums: readonly number[],
    outputs: readonly Uint8Array[],
    length: number,
  ) {
    const k = this.k;
    const secondaryNums: number[] = [];
    const secondaryOutputs: Uint8Array[] = [];
    for (let i = 0; i < nums.length; i++) {
      const num = nums[i]!;
      const out = outputs[i]!;
      if (num < k) out.set(primary[num]!);
      else {
        secondaryNums.push(num);
        secondaryOutputs.push(out);
      }
    }
    if (secondaryNums.length === 0 || length === 0) return;
    const apply = this.#encoders.getOrCreate(secondaryNums.join(','), () => {
      const rows = new Uint8Array(secondaryNums.length * k);
      secondaryNums.forEach((num, r) => {
        rows.set(this.#encodeMatrix.subarray(num * k, num * k + k), r * k);
      });
      return this.#kernel.compile(rows, secondaryNums.length, k);
    });
    apply(primary, secondaryOutputs, length);
  }

  #decode(
    blocks: readonly Uint8Array[],
    nums: readonly number[],
    outputs: readonly Uint8Array[],
    length: number,
  ) {
    const k = this.k;
    // Order the blocks by share number so one cached matrix serves every permutation of the same set.
    const order = nums.map((_, i) => i).sort((a, b) => nums[a]! - nums[b]!);
    const sortedNums = order.map((i) => nums[i]!);
    const sortedBlocks = order.map((i) => blocks[i]!);
    for (let i = 0; i < k; i++) {
      const num = sortedNums[i]!;
      if (num < k) outputs[num]!.set(sortedBlocks[i]!);
    }
    const plan = this.#decoders.getOrCreate(sortedNums.join(','), () => this.#planDecode(sortedNums));
    if (plan.missing.length === 0 || length === 0) return;
    plan.apply(
      sortedBlocks,
      plan.missing.map((num) => outputs[num]!),
      length,
    );
  }

  #planDecode(sortedNums: readonly number[]): DecodePlan {
    const k = this.k;
    const present = new Uint8Array(k);
    const square = new Uint8Array(k * k);
    sortedNums.forEach((num, row) => {
      if (num < k) present[num] = 1;
      square.set(this.#encodeMatrix.subarray(num * k, num * k + k), row * k);
    });
    const inverse = invertMatrix(square, k);
    // Any k rows of zfec's matrix are independent (an MDS code), so this cannot happen for valid share numbers.
    if (inverse === undefined)
      throw new ZfecInternalError(`the decode matrix for shares ${sortedNums} is singular`);
    const missing: number[] = [];
    for (let i = 0; i < k; i++) if (present[i] === 0) missing.push(i);
    const rows = new Uint8Array(missing.length * k);
    missing.forEach((num, r) => {
      rows.set(inverse.subarray(num * k, num * k + k), r * k);
    });
    return { missing, apply: this.#kernel.compile(rows, missing.length, k) };
  }
}
