import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  b32AddressOf,
  decodeDestination,
  decodeI2pBase64,
  encodeI2pBase64,
  isB32Address,
  publicDestinationOf,
} from '../../src/i2p/destination.js';
import { I2pKeyError } from '../../src/i2p/errors.js';
import { repoRoot } from '../support/paths.js';

interface Vector {
  destination: string;
  b32: string;
  privateKey: string;
}
const vector = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as Vector;

describe('i2p/destination', () => {
  it('derives the b32 address i2pd resolved for a real Ed25519 destination', () => {
    expect(b32AddressOf(vector.destination)).to.equal(vector.b32);
    expect(isB32Address(vector.b32)).to.equal(true);
  });

  it('finds the public destination inside a DEST GENERATE private key', () => {
    expect(publicDestinationOf(vector.privateKey)).to.equal(vector.destination);
    expect(decodeDestination(vector.destination)).to.have.length(391); // 387 + 4-byte key certificate
  });

  it('uses the -~ alphabet for I2P base64 and decodes it back', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00]);
    expect(encodeI2pBase64(bytes)).to.equal('-~-~AA==');
    expect([...decodeI2pBase64('-~-~AA==')]).to.deep.equal([...bytes]);
  });

  it('refuses standard base64 and stray characters, naming the position', () => {
    expect(() => decodeI2pBase64('ab+/', 'destination')).to.throw(
      I2pKeyError,
      /destination is not I2P base64: bad character "\+" at position 2/,
    );
    expect(() => decodeI2pBase64('ab=c')).to.throw(I2pKeyError, /misplaced padding/);
    expect(() => decodeI2pBase64('abcde')).to.throw(I2pKeyError, /length 5/);
  });

  it('refuses a truncated destination and a private key passed as a destination', () => {
    expect(() => decodeDestination(vector.destination.slice(0, 500))).to.throw(I2pKeyError, /at least 387/);
    const truncated = encodeI2pBase64(decodeI2pBase64(vector.destination).subarray(0, 389));
    expect(() => decodeDestination(truncated)).to.throw(I2pKeyError, /4-byte certificate but holds only 2/);
    expect(() => decodeDestination(vector.privateKey)).to.throw(I2pKeyError, /private key/);
    expect(() => b32AddressOf('not a destination')).to.throw(I2pKeyError);
  });

  it('refuses a public destination where a private key is needed', () => {
    expect(() => publicDestinationOf(vector.destination)).to.throw(I2pKeyError, /no private keys/);
  });

  it('recognises b32 addresses only in their standard form', () => {
    expect(isB32Address(vector.b32.toUpperCase())).to.equal(true);
    expect(isB32Address(`x${vector.b32}`)).to.equal(false);
    expect(isB32Address('example.i2p')).to.equal(false);
  });
});
