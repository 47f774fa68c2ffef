import { expect } from 'chai';
import { base32Decode, base32Encode, base32Length } from '../../src/crypto/base32.js';
import { Base32Error, NetstringError } from '../../src/crypto/errors.js';
import { netstring, parseNetstring } from '../../src/crypto/netstring.js';

const te = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('crypto/base32', () => {
  // RFC 4648 §10 test vectors, lowercased and unpadded.
  const rfc: [string, string][] = [
    ['', ''],
    ['f', 'my'],
    ['fo', 'mzxq'],
    ['foo', 'mzxw6'],
    ['foob', 'mzxw6yq'],
    ['fooba', 'mzxw6ytb'],
    ['foobar', 'mzxw6ytboi'],
  ];
  for (const [plain, encoded] of rfc) {
    it(`RFC 4648 vector ${JSON.stringify(plain)}`, () => {
      expect(base32Encode(te(plain))).to.equal(encoded);
      expect(Buffer.from(base32Decode(encoded)).toString()).to.equal(plain);
      expect(base32Length(plain.length)).to.equal(encoded.length);
    });
  }

  it('round-trips every length up to 70 bytes', () => {
    for (let n = 0; n <= 70; n++) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(Array.from(base32Decode(base32Encode(data)))).to.deep.equal(Array.from(data));
    }
  });

  it('rejects characters outside the alphabet, naming the position', () => {
    for (const [bad, pos] of [
      ['mzxW6', 3],
      ['mzx16', 3],
      ['mzxw=', 4],
      ['mz w6', 2],
    ] as const) {
      const error = (() => {
        try {
          base32Decode(bad);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).to.be.instanceOf(Base32Error);
      expect((error as Base32Error).position).to.equal(pos);
      expect((error as Base32Error).code).to.equal('ERR_BASE32');
    }
  });

  it('rejects impossible lengths and non-zero padding bits', () => {
    expect(() => base32Decode('m')).to.throw(Base32Error, /length/);
    expect(() => base32Decode('mzx')).to.throw(Base32Error, /length/);
    expect(() => base32Decode('mz')).to.throw(Base32Error, /padding bits/);
    expect(() => base32Decode('mzxw7')).to.throw(Base32Error, /padding bits/);
  });
});

describe('crypto/netstring', () => {
  it('encodes', () => {
    expect(Buffer.from(netstring(te('abc'))).toString()).to.equal('3:abc,');
    expect(Buffer.from(netstring(new Uint8Array(0))).toString()).to.equal('0:,');
  });

  it('parses and reports the end offset', () => {
    const data = te('xx3:abc,0:,');
    const first = parseNetstring(data, 2);
    expect(Buffer.from(first.value).toString()).to.equal('abc');
    expect(first.end).to.equal(8);
    const second = parseNetstring(data, first.end);
    expect(second.value.length).to.equal(0);
    expect(second.end).to.equal(data.length);
  });

  for (const [bad, why] of [
    ['3:abc', /lacks the ','|only/],
    ['3abc,', /non-digit/],
    ['03:abc,', /leading zero/],
    [':abc,', /empty length/],
    ['5:abc,', /declares 5 bytes/],
    ['3:abcd', /lacks the ','/],
    ['99999999999:x,', /exceeds/],
  ] as const) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(() => parseNetstring(te(bad))).to.throw(NetstringError, why);
    });
  }
});
