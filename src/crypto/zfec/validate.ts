/**
 * Argument checks for the codec, in the style of noble's: `TypeError` for the wrong kind of value,
 * `RangeError` for a value out of bounds, each message naming the argument, the position and the bad value.
 *
 * @module
 */

/** The largest n zfec supports: GF(2^8) has 256 distinct evaluation points. */
export const MAX_SHARES = 256;

/** Checks 1 <= k <= n <= 256 (integers). */
export function checkParameters(k: unknown, n: unknown): asserts k is number {
  for (const [label, value] of [
    ['k', k],
    ['n', n],
  ] as const) {
    if (typeof value !== 'number')
      throw new TypeError(`zfec: ${label} must be a number, got ${typeof value}`);
    if (!Number.isInteger(value) || value < 1 || value > MAX_SHARES) {
      throw new RangeError(`zfec: ${label} must be an integer in 1..${MAX_SHARES}, got ${value}`);
    }
  }
  if ((k as number) > (n as number)) throw new RangeError(`zfec: k must be <= n, got k=${k}, n=${n}`);
}

/**
 * Checks that `blocks` is an array of exactly `count` Uint8Arrays of one length, and returns that length.
 * `what` names the argument in messages (e.g. "encode: primary").
 */
export function checkBlocks(blocks: unknown, count: number, what: string): number {
  if (!Array.isArray(blocks)) throw new TypeError(`zfec ${what}: expected an array of Uint8Array`);
  if (blocks.length !== count) {
    throw new RangeError(`zfec ${what}: expected ${count} blocks, got ${blocks.length}`);
  }
  let length = -1;
  for (let i = 0; i < blocks.length; i++) {
    const block: unknown = blocks[i];
    if (!(block instanceof Uint8Array)) {
      throw new TypeError(`zfec ${what}[${i}]: expected a Uint8Array, got ${describe(block)}`);
    }
    if (length === -1) length = block.length;
    else if (block.length !== length) {
      throw new RangeError(
        `zfec ${what}[${i}]: all blocks must have the same length; block 0 has ${length} bytes, block ${i} has ${block.length}`,
      );
    }
  }
  return length;
}

/**
 * Checks that `shareNums` is an array of `count` (if given) distinct integers in 0..n-1, and returns a copy.
 */
export function checkShareNums(shareNums: unknown, n: number, what: string, count?: number): number[] {
  if (!Array.isArray(shareNums)) throw new TypeError(`zfec ${what}: expected an array of share numbers`);
  if (count !== undefined && shareNums.length !== count) {
    throw new RangeError(`zfec ${what}: expected ${count} share numbers, got ${shareNums.length}`);
  }
  const seen = new Uint8Array(n);
  const out: number[] = [];
  for (let i = 0; i < shareNums.length; i++) {
    const num: unknown = shareNums[i];
    if (typeof num !== 'number' || !Number.isInteger(num) || num < 0 || num >= n) {
      throw new RangeError(
        `zfec ${what}[${i}]: share number must be an integer in 0..${n - 1}, got ${String(num)}`,
      );
    }
    if (seen[num] === 1) throw new RangeError(`zfec ${what}[${i}]: duplicate share number ${num}`);
    seen[num] = 1;
    out.push(num);
  }
  return out;
}

/** Checks caller-supplied output buffers: `count` Uint8Arrays of at least `length` bytes each. */
export function checkOutputs(outputs: unknown, count: number, length: number, what: string): void {
  if (!Array.isArray(outputs)) throw new TypeError(`zfec ${what}: expected an array of Uint8Array`);
  if (outputs.length !== count) {
    throw new RangeError(`zfec ${what}: expected ${count} output buffers, got ${outputs.length}`);
  }
  for (let i = 0; i < count; i++) {
    const out: unknown = outputs[i];
    if (!(out instanceof Uint8Array)) {
      throw new TypeError(`zfec ${what}[${i}]: expected a Uint8Array, got ${describe(out)}`);
    }
    if (out.length < length) {
      throw new RangeError(`zfec ${what}[${i}]: output buffer has ${out.length} bytes, needs ${length}`);
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/**
 * Checks that no output buffer shares bytes with an input block or with another output buffer (the kernels
 * read inputs while writing outputs, so overlap would silently corrupt the result).
 */
export function checkNoOverlap(
  inputs: readonly Uint8Array[],
  outputs: readonly Uint8Array[],
  length: number,
  what: string,
): void {
  if (length === 0) return;
  const overlaps = (a: Uint8Array, b: Uint8Array) =>
    a.buffer === b.buffer && a.byteOffset < b.byteOffset + length && b.byteOffset < a.byteOffset + length;
  for (let o = 0; o < outputs.length; o++) {
    const out = outputs[o]!;
    for (let i = 0; i < inputs.length; i++) {
      if (overlaps(out, inputs[i]!)) {
        throw new RangeError(`zfec ${what}: outputs[${o}] overlaps input block ${i}; pass separate buffers`);
      }
    }
    for (let p = 0; p < o; p++) {
      if (overlaps(out, outputs[p]!)) {
        throw new RangeError(`zfec ${what}: outputs[${o}] overlaps outputs[${p}]; pass separate buffers`);
      }
    }
  }
}
