import { expect } from 'chai';
import { deriveSskKeys } from '../../src/crypto/ssk-keys.js';
import { formatCap } from '../../src/storage/caps/format.js';
import { parseCap } from '../../src/storage/caps/parse.js';
import { loadCapVectors } from '../storage/support/vectors.js';

describe('crypto/ssk-keys: SSK/MDMF write caps from Tahoe test_vectors.yaml', () => {
  const vectors = loadCapVectors().filter((v) => v.kind !== 'chk');
  it('has all 240 SSK cases', () => expect(vectors).to.have.length(240));
  vectors.forEach((v, i) => {
    it(`#${i} ${v.kind} k=${v.needed} N=${v.total} size=${v.length}`, () => {
      const keys = deriveSskKeys(v.key as string);
      const cap = formatCap(
        v.kind === 'sdmf'
          ? { kind: 'SSK', writekey: keys.writekey, fingerprint: keys.fingerprint }
          : { kind: 'MDMF', writekey: keys.writekey, fingerprint: keys.fingerprint },
      );
      expect(cap).to.equal(v.expected);
      expect(formatCap(parseCap(v.expected))).to.equal(v.expected);
    });
  });
});
