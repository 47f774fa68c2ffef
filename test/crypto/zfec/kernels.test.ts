import { expect } from 'chai';
import { createCodec, wasmKernelAvailable, wasmKernelVariant } from '../../../src/crypto/zfec/index.js';
import { SeededRandom } from './random.js';

describe('zfec kernels: WebAssembly SIMD and TypeScript agree byte for byte', () => {
  it('this runtime runs the WebAssembly SIMD kernel (the fast path)', () => {
    expect(wasmKernelAvailable()).to.equal(true);
    expect(wasmKernelVariant()).to.be.oneOf(['simd128', 'relaxed-simd']);
    expect(createCodec(3, 10).implementation).to.equal('wasm');
    expect(createCodec(3, 10, { implementation: 'js' }).implementation).to.equal('js');
  });

  const lengths = [1, 2, 15, 16, 17, 63, 64, 65, 127, 1000, 4099, 70_001];

  it('encode: identical bytes for many (k, n) and block lengths, including non-multiples of 16', () => {
    const rng = new SeededRandom(0x5eed);
    const shapes: [number, number][] = [
      [1, 1],
      [1, 4],
      [2, 3],
      [3, 10],
      [5, 9],
      [13, 40],
      [25, 100],
      [64, 128],
      [128, 256],
      [256, 256],
    ];
    for (const [k, n] of shapes) {
      const js = createCodec(k, n, { implementation: 'js' });
      const wasm = createCodec(k, n, { implementation: 'wasm' });
      // Big codes get short blocks to keep the test fast; every shape still sees odd lengths.
      for (const length of lengths.filter((l) => l * k <= 2_000_000)) {
        const primary = Array.from({ length: k }, () => rng.bytes(length));
        const a = js.encode(primary);
        const b = wasm.encode(primary);
        for (let s = 0; s < n; s++) {
          if (!Buffer.from(a[s]!).equals(b[s]!))
            expect.fail(`k=${k} n=${n} length ${length}: share ${s} differs`);
        }
      }
    }
  });

  it('decode: identical bytes from random share subsets', () => {
    const rng = new SeededRandom(0xdec0de);
    for (const [k, n] of [
      [3, 10],
      [7, 11],
      [25, 100],
      [100, 256],
    ] as const) {
      const js = createCodec(k, n, { implementation: 'js' });
      const wasm = createCodec(k, n, { implementation: 'wasm' });
      // 65,537 bytes spans several wasm chunks; big codes stay short to keep the test fast.
      for (const length of k <= 7 ? [17, 1000, 65_537] : [17, 1000, 5_000]) {
        const primary = Array.from({ length: k }, () => rng.bytes(length));
        const shares = js.encode(primary);
        const picked = rng.sample(n, k);
        const blocks = picked.map((s) => shares[s]!);
        const a = js.decode(blocks, picked);
        const b = wasm.decode(blocks, picked);
        expect(a, `k=${k} n=${n} length ${length}`).to.deep.equal(primary);
        expect(b, `k=${k} n=${n} length ${length}`).to.deep.equal(primary);
      }
    }
  });

  it('codecs of different shapes interleaved on the shared wasm instance do not disturb each other', () => {
    const rng = new SeededRandom(42);
    const small = createCodec(3, 10, { implementation: 'wasm' });
    const big = createCodec(25, 100, { implementation: 'wasm' });
    const smallPrimary = [rng.bytes(300), rng.bytes(300), rng.bytes(300)];
    const bigPrimary = Array.from({ length: 25 }, () => rng.bytes(300));
    const expectedSmall = createCodec(3, 10, { implementation: 'js' }).encode(smallPrimary);
    const expectedBig = createCodec(25, 100, { implementation: 'js' }).encode(bigPrimary);
    for (let round = 0; round < 3; round++) {
      expect(small.encode(smallPrimary)).to.deep.equal(expectedSmall);
      expect(big.encode(bigPrimary)).to.deep.equal(expectedBig);
    }
  });
});
