import { expect } from 'chai';
import { createCodec } from '../../../src/crypto/zfec/index.js';

describe('zfec codec argument errors', () => {
  it('rejects k and n outside 1 <= k <= n <= 256 with labelled RangeErrors', () => {
    expect(() => createCodec(0, 10)).to.throw(RangeError, /k must be an integer in 1\.\.256, got 0/);
    expect(() => createCodec(3, 257)).to.throw(RangeError, /n must be an integer in 1\.\.256, got 257/);
    expect(() => createCodec(11, 10)).to.throw(RangeError, /k must be <= n, got k=11, n=10/);
    expect(() => createCodec(2.5, 10)).to.throw(RangeError, /k must be an integer/);
    expect(() => createCodec(Number.NaN, 10)).to.throw(RangeError, /got NaN/);
    expect(() => createCodec('3' as unknown as number, 10)).to.throw(
      TypeError,
      /k must be a number, got string/,
    );
  });

  it('rejects an unknown implementation name', () => {
    expect(() => createCodec(3, 10, { implementation: 'c' as 'js' })).to.throw(RangeError, /implementation/);
  });

  const codec = createCodec(3, 10, { implementation: 'js' });
  const block = (length = 8) => new Uint8Array(length);

  it('rejects the wrong number of primary blocks, non-Uint8Array blocks and unequal lengths', () => {
    expect(() => codec.encode([block(), block()])).to.throw(
      RangeError,
      /encode: primary: expected 3 blocks, got 2/,
    );
    expect(() => codec.encode([block(), 'x' as unknown as Uint8Array, block()])).to.throw(
      TypeError,
      /encode: primary\[1\]: expected a Uint8Array, got string/,
    );
    expect(() => codec.encode([block(), block(), block(9)])).to.throw(
      RangeError,
      /primary\[2\]: all blocks must have the same length; block 0 has 8 bytes, block 2 has 9/,
    );
    expect(() => codec.encode(null as unknown as Uint8Array[])).to.throw(TypeError);
  });

  it('rejects out-of-range, fractional and duplicate share numbers', () => {
    const primary = [block(), block(), block()];
    expect(() => codec.encode(primary, [3, 10])).to.throw(
      RangeError,
      /encode: shareNums\[1\]: share number must be an integer in 0\.\.9, got 10/,
    );
    expect(() => codec.encode(primary, [-1])).to.throw(RangeError, /got -1/);
    expect(() => codec.encode(primary, [1.5])).to.throw(RangeError, /got 1\.5/);
    expect(() => codec.encode(primary, [4, 4])).to.throw(
      RangeError,
      /shareNums\[1\]: duplicate share number 4/,
    );
    expect(() => codec.decode(primary, [0, 5, 5])).to.throw(RangeError, /decode: shareNums\[2\]: duplicate/);
    expect(() => codec.decode(primary, [0, 5, 12])).to.throw(RangeError, /decode: shareNums\[2\].*got 12/);
  });

  it('rejects decode with other than k blocks or share numbers', () => {
    expect(() => codec.decode([block(), block()], [0, 1])).to.throw(
      RangeError,
      /decode: blocks: expected 3 blocks/,
    );
    expect(() => codec.decode([block(), block(), block()], [0, 1])).to.throw(
      RangeError,
      /decode: shareNums: expected 3 share numbers, got 2/,
    );
  });

  it('rejects missing or short output buffers', () => {
    const primary = [block(), block(), block()];
    expect(() => codec.encodeInto(primary, [3, 4], [block()])).to.throw(
      RangeError,
      /expected 2 output buffers/,
    );
    expect(() => codec.encodeInto(primary, [3, 4], [block(), block(7)])).to.throw(
      RangeError,
      /encodeInto: outputs\[1\]: output buffer has 7 bytes, needs 8/,
    );
    expect(() =>
      codec.decodeInto(primary, [0, 1, 2], [block(), block(), 5 as unknown as Uint8Array]),
    ).to.throw(TypeError, /decodeInto: outputs\[2\]: expected a Uint8Array, got number/);
  });

  it('rejects output buffers that overlap the inputs or each other', () => {
    const backing = new Uint8Array(64);
    const primary = [backing.subarray(0, 8), backing.subarray(8, 16), backing.subarray(16, 24)];
    expect(() => codec.encodeInto(primary, [3], [backing.subarray(12, 20)])).to.throw(
      RangeError,
      /encodeInto: outputs\[0\] overlaps input block 1/,
    );
    expect(() =>
      codec.encodeInto(primary, [3, 4], [backing.subarray(24, 32), backing.subarray(31, 39)]),
    ).to.throw(RangeError, /outputs\[1\] overlaps outputs\[0\]/);
    expect(() =>
      codec.decodeInto(primary, [0, 1, 2], [backing.subarray(24, 32), backing.subarray(32, 40), primary[2]!]),
    ).to.throw(RangeError, /decodeInto: outputs\[2\] overlaps input block 2/);
    // Adjacent, non-overlapping views of one buffer are fine.
    codec.encodeInto(primary, [3, 4], [backing.subarray(24, 32), backing.subarray(32, 40)]);
  });
});
