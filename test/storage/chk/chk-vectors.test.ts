import { expect } from 'chai';
import { encodeImmutable } from '../../../src/storage/chk/encode-immutable.js';
import { loadCapVectors } from '../support/vectors.js';

describe('storage/chk: CHK caps of Tahoe test_vectors.yaml', () => {
  const vectors = loadCapVectors().filter((v) => v.kind === 'chk');
  it('has all 120 CHK cases', () => expect(vectors).to.have.length(120));
  vectors.forEach((v, i) => {
    it(`#${i} k=${v.needed} N=${v.total} size=${v.length}`, async () => {
      const { cap } = await encodeImmutable(v.plaintext(), {
        convergenceSecret: v.convergence,
        needed: v.needed,
        total: v.total,
        maxSegmentSize: v.segmentSize,
      });
      expect(cap).to.equal(v.expected);
    });
  });
});
