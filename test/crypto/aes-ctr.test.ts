import { expect } from 'chai';
import { aesCtr, createAesCtr } from '../../src/crypto/aes-ctr.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('crypto/aes-ctr', () => {
  it('matches NIST SP 800-38A F.5.1 (CTR-AES128.Encrypt)', () => {
    const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
    const iv = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
    const plain = hex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51');
    const stream = createAesCtr(key, 0, iv);
    expect(toHex(stream.update(plain))).to.equal(
      '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff',
    );
  });

  it('uses a zero IV by default and decrypts what it encrypts', () => {
    const key = hex('000102030405060708090a0b0c0d0e0f');
    const plain = new Uint8Array(1000).map((_, i) => i & 0xff);
    const cipher = aesCtr(key, plain);
    expect(toHex(cipher)).to.not.equal(toHex(plain));
    expect(toHex(aesCtr(key, cipher))).to.equal(toHex(plain));
    // The first keystream block is AES_k(0^128).
    const zero = aesCtr(key, new Uint8Array(16));
    expect(toHex(zero)).to.equal(toHex(createAesCtr(key, 0, new Uint8Array(16)).update(new Uint8Array(16))));
  });

  it('random access at any offset equals the slice of a full pass', () => {
    const key = hex('00112233445566778899aabbccddeeff');
    const plain = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
    const full = aesCtr(key, plain);
    for (const offset of [0, 1, 15, 16, 17, 100, 255, 299]) {
      expect(toHex(aesCtr(key, plain.subarray(offset), offset))).to.equal(toHex(full.subarray(offset)));
    }
  });

  it('streams across arbitrary chunk boundaries', () => {
    const key = hex('00112233445566778899aabbccddeeff');
    const plain = new Uint8Array(257).map((_, i) => i & 0xff);
    const full = aesCtr(key, plain);
    const s = createAesCtr(key);
    const parts = [
      s.update(plain.subarray(0, 5)),
      s.update(plain.subarray(5, 40)),
      s.update(plain.subarray(40)),
    ];
    expect(toHex(Buffer.concat(parts))).to.equal(toHex(full));
  });

  it('rejects bad keys and offsets', () => {
    expect(() => createAesCtr(new Uint8Array(15))).to.throw(RangeError, /16 bytes/);
    expect(() => createAesCtr(new Uint8Array(16), -1)).to.throw(RangeError);
  });
});
