import { expect } from 'chai';
import { createCodec } from '../../../src/crypto/zfec/index.js';
import { implementations } from './implementations.js';
import { oracleShare } from './oracle.js';
import { SeededRandom } from './random.js';

/** Every k-element subset of 0..n-1, in lexicographic order. */
function* subsets(n: number, k: number, start = 0, prefix: number[] = []): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix.slice();
    return;
  }
  for (let i = start; i <= n - (k - prefix.length); i++) {
    prefix.push(i);
    yield* subsets(n, k, i + 1, prefix);
    prefix.pop();
  }
}

function randomPrimary(rng: SeededRandom, k: number, length: number): Uint8Array[] {
  return Array.from({ length: k }, () => rng.bytes(length));
}

for (const implementation of implementations) {
  describe(`zfec codec (${implementation})`, () => {
    it('reports its parameters and kernel', () => {
      const codec = createCodec(3, 10, { implementation });
      expect([codec.k, codec.n, codec.implementation]).to.deep.equal([3, 10, implementation]);
    });

    it('is systematic: shares 0..k-1 are fresh copies of the primary blocks', () => {
      const rng = new SeededRandom(1);
      for (const [k, n] of [
        [1, 1],
        [3, 10],
        [7, 7],
        [25, 100],
      ] as const) {
        const primary = randomPrimary(rng, k, 37);
        const shares = createCodec(k, n, { implementation }).encode(primary);
        expect(shares).to.have.length(n);
        for (let i = 0; i < k; i++) {
          expect(shares[i]).to.deep.equal(primary[i]);
          expect(shares[i]).to.not.equal(primary[i]);
        }
      }
    });

    it('matches the Lagrange-interpolation model of zfec for many (k, n)', () => {
      const rng = new SeededRandom(2);
      for (const [k, n] of [
        [1, 2],
        [1, 256],
        [2, 3],
        [3, 10],
        [5, 17],
        [16, 33],
        [25, 100],
        [100, 256],
        [255, 256],
      ] as const) {
        const primary = randomPrimary(rng, k, 19);
        const codec = createCodec(k, n, { implementation });
        const wanted = [k, n - 1, Math.floor((k + n) / 2)].filter(
          (r, i, all) => r < n && all.indexOf(r) === i,
        );
        const shares = codec.encode(primary, wanted);
        wanted.forEach((r, i) => {
          expect(shares[i], `k=${k} n=${n} share ${r}`).to.deep.equal(oracleShare(primary, r));
        });
      }
    });

    it('encodes a chosen subset of share numbers in the order asked', () => {
      const rng = new SeededRandom(3);
      const codec = createCodec(4, 9, { implementation });
      const primary = randomPrimary(rng, 4, 50);
      const all = codec.encode(primary);
      const picked = codec.encode(primary, [8, 1, 5]);
      expect(picked).to.deep.equal([all[8], all[1], all[5]]);
      expect(codec.encode(primary, [])).to.deep.equal([]);
    });

    it('decodes from every k-subset, in any order, for small (k, n)', () => {
      const rng = new SeededRandom(4);
      for (const [k, n] of [
        [1, 3],
        [2, 5],
        [3, 10],
        [4, 8],
        [5, 5],
      ] as const) {
        const codec = createCodec(k, n, { implementation });
        const primary = randomPrimary(rng, k, 33);
        const shares = codec.encode(primary);
        for (const subset of subsets(n, k)) {
          const order = rng.sample(k, k).map((i) => subset[i]!);
          const decoded = codec.decode(
            order.map((s) => shares[s]!),
            order,
          );
          expect(decoded, `k=${k} n=${n} shares ${order}`).to.deep.equal(primary);
        }
      }
    });

    it('decodes from random k-subsets for large (k, n)', () => {
      const rng = new SeededRandom(5);
      for (const [k, n] of [
        [25, 100],
        [64, 256],
        [200, 256],
        [256, 256],
      ] as const) {
        const codec = createCodec(k, n, { implementation });
        const primary = randomPrimary(rng, k, 21);
        const shares = codec.encode(primary);
        for (let trial = 0; trial < 3; trial++) {
          const picked = rng.sample(n, k);
          const decoded = codec.decode(
            picked.map((s) => shares[s]!),
            picked,
          );
          expect(decoded, `k=${k} n=${n} trial ${trial}`).to.deep.equal(primary);
        }
      }
    });

    it('round-trips k = 1 (replication), k = n (no redundancy) and n = 256', () => {
      const rng = new SeededRandom(6);
      const one = createCodec(1, 5, { implementation });
      const block = rng.bytes(40);
      const copies = one.encode([block]);
      for (const copy of copies) expect(copy).to.deep.equal(block);
      expect(one.decode([copies[4]!], [4])).to.deep.equal([block]);

      const same = createCodec(6, 6, { implementation });
      const primary = randomPrimary(rng, 6, 8);
      expect(same.encode(primary)).to.deep.equal(primary);
      expect(same.decode([...primary].reverse(), [5, 4, 3, 2, 1, 0])).to.deep.equal(primary);

      const wide = createCodec(3, 256, { implementation });
      const widePrimary = randomPrimary(rng, 3, 100);
      const wideShares = wide.encode(widePrimary);
      expect(wide.decode([wideShares[255]!, wideShares[128]!, wideShares[3]!], [255, 128, 3])).to.deep.equal(
        widePrimary,
      );
    });

    it('handles empty and odd-length blocks', () => {
      const rng = new SeededRandom(7);
      const codec = createCodec(3, 7, { implementation });
      const empty = codec.encode([new Uint8Array(0), new Uint8Array(0), new Uint8Array(0)]);
      expect(empty.map((b) => b.length)).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
      expect(codec.decode([empty[3]!, empty[4]!, empty[6]!], [3, 4, 6])).to.deep.equal(empty.slice(0, 3));
      // 4097 first: later, shorter blocks then run on tables the first call built.
      for (const length of [4097, 1, 15, 16, 17, 31, 33, 1000, 4097 + 64]) {
        const primary = randomPrimary(rng, 3, length);
        const shares = codec.encode(primary);
        expect(shares[5], `length ${length}`).to.deep.equal(oracleShare(primary, 5));
        expect(codec.decode([shares[6]!, shares[5]!, shares[4]!], [6, 5, 4])).to.deep.equal(primary);
      }
    });

    it('accepts blocks that are unaligned views into larger buffers', () => {
      const rng = new SeededRandom(8);
      const codec = createCodec(3, 10, { implementation });
      const backing = rng.bytes(3 * 101 + 5);
      const primary = [0, 1, 2].map((i) => backing.subarray(1 + i * 101, 1 + i * 101 + 100));
      const shares = codec.encode(primary);
      expect(shares[9]).to.deep.equal(oracleShare(primary, 9));
      const shareBacking = new Uint8Array(3 * 100 + 3);
      const views = [7, 9, 0].map((s, i) => {
        const view = shareBacking.subarray(3 + i * 100, 3 + (i + 1) * 100);
        view.set(shares[s]!);
        return view;
      });
      expect(codec.decode(views, [7, 9, 0])).to.deep.equal(primary.map((p) => p.slice()));
    });

    it('writes into caller-supplied buffers with encodeInto and decodeInto', () => {
      const rng = new SeededRandom(9);
      const codec = createCodec(3, 10, { implementation });
      const primary = randomPrimary(rng, 3, 64);
      const expected = codec.encode(primary, [2, 4, 9]);
      const outputs = [new Uint8Array(64), new Uint8Array(70), new Uint8Array(64)];
      outputs[1]!.fill(0xaa);
      codec.encodeInto(primary, [2, 4, 9], outputs);
      expect(outputs[0]).to.deep.equal(expected[0]);
      expect(outputs[1]!.subarray(0, 64)).to.deep.equal(expected[1]);
      expect(outputs[1]!.subarray(64)).to.deep.equal(new Uint8Array(6).fill(0xaa));
      expect(outputs[2]).to.deep.equal(expected[2]);

      const decoded = [new Uint8Array(64), new Uint8Array(64), new Uint8Array(64)];
      codec.decodeInto([expected[2]!, expected[1]!, expected[0]!], [9, 4, 2], decoded);
      expect(decoded).to.deep.equal(primary);
    });

    it('keeps decoding correctly when many share sets exceed the 32-entry matrix cache', () => {
      const rng = new SeededRandom(10);
      const codec = createCodec(4, 30, { implementation });
      const primary = randomPrimary(rng, 4, 24);
      const shares = codec.encode(primary);
      for (let trial = 0; trial < 150; trial++) {
        const picked = rng.sample(30, 4);
        expect(
          codec.decode(
            picked.map((s) => shares[s]!),
            picked,
          ),
        ).to.deep.equal(primary);
      }
    });
  });
}
