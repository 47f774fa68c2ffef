import { expect } from 'chai';
import { GF_EXP, GF_LOG, gfExp, gfInverse, gfMul, nibbleTables } from '../../../src/crypto/zfec/gf256.js';
import { slowMul } from './oracle.js';

describe('zfec GF(2^8) arithmetic', () => {
  it('uses the primitive polynomial 0x11D: alpha^8 = x^4 + x^3 + x^2 + 1', () => {
    expect(gfExp(8)).to.equal(0x1d);
    expect(gfExp(255)).to.equal(1);
  });

  it('enumerates all 255 non-zero elements as powers of alpha', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 255; i++) seen.add(GF_EXP[i]!);
    expect(seen.size).to.equal(255);
    expect(seen.has(0)).to.equal(false);
    for (let x = 1; x < 256; x++) expect(GF_EXP[GF_LOG[x]!]).to.equal(x);
  });

  it('multiplies exactly like carry-less multiplication reduced by 0x11D, for every pair', () => {
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        if (gfMul(a, b) !== slowMul(a, b))
          expect.fail(`${a}*${b}: got ${gfMul(a, b)}, want ${slowMul(a, b)}`);
      }
    }
  });

  it('inverts every non-zero element and refuses zero', () => {
    for (let a = 1; a < 256; a++) expect(gfMul(a, gfInverse(a))).to.equal(1);
    expect(() => gfInverse(0)).to.throw(RangeError);
  });

  it('splits multiplication into low and high nibble tables', () => {
    for (const c of [0, 1, 2, 0x1d, 0x8e, 0xff]) {
      const t = nibbleTables(c);
      for (let x = 0; x < 256; x++) expect(t[x & 15]! ^ t[16 + (x >> 4)]!).to.equal(slowMul(c, x));
    }
  });
});
