import { ed25519 } from '@noble/curves/ed25519.js';
import { expect } from 'chai';
import {
  parseOnionAddress,
  parseOnionPrivateKey,
  serviceIdFromPublicKey,
} from '../../src/tor/onion-address.js';
import { expandEd25519Seed, mintOnionKey, onionPrivateKeyFromBlob } from '../../src/tor/onion-keygen.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));

describe('tor/onion-keygen: minting ED25519-V3 keys locally', () => {
  // RFC 8032 section 7.1, TEST 1: secret key (seed) and public key.
  const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
  const publicKey = hex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

  it('derives the RFC 8032 test-1 public key from the expanded blob', () => {
    const minted = mintOnionKey(seed);
    expect(minted.serviceId).to.equal(serviceIdFromPublicKey(publicKey));
    expect(parseOnionAddress(minted.serviceId).publicKey).to.deep.equal(publicKey);
  });

  it('clamps the scalar as RFC 8032 5.1.5 prescribes and keeps the PRF half', () => {
    const blob = expandEd25519Seed(seed);
    expect(blob.length).to.equal(64);
    expect(blob[0]! & 7).to.equal(0);
    expect(blob[31]! & 0x80).to.equal(0);
    expect(blob[31]! & 0x40).to.equal(0x40);
    const digest = ed25519.utils.getExtendedPublicKey(seed);
    expect(Buffer.from(blob.subarray(32)).toString('hex')).to.equal(
      Buffer.from(digest.prefix).toString('hex'),
    );
  });

  it('produces text that parses back to the same key, and fresh keys every time', () => {
    const a = mintOnionKey();
    const b = mintOnionKey();
    expect(a.serviceId).to.not.equal(b.serviceId);
    const parsed = parseOnionPrivateKey(a.privateKey.text, 'test');
    expect(parsed.blob).to.deep.equal(a.privateKey.blob);
    expect(a.privateKey.text).to.match(/^ED25519-V3:[A-Za-z0-9+/]{86}==$/);
  });

  it('matches noble ed25519 public keys for many random seeds', () => {
    for (let i = 0; i < 20; i++) {
      const s = ed25519.utils.randomSecretKey();
      expect(mintOnionKey(s).serviceId).to.equal(serviceIdFromPublicKey(ed25519.getPublicKey(s)));
    }
  });

  it('rejects wrong lengths with RangeError', () => {
    expect(() => expandEd25519Seed(new Uint8Array(31))).to.throw(RangeError, /32 bytes, got 31/);
    expect(() => onionPrivateKeyFromBlob(new Uint8Array(32))).to.throw(RangeError, /64 bytes, got 32/);
  });
});
