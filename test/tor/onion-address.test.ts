import { expect } from 'chai';
import { OnionAddressError, OnionKeyError } from '../../src/tor/errors.js';
import {
  isOnionAddress,
  parseOnionAddress,
  parseOnionPrivateKey,
  serviceIdFromPrivateKey,
  serviceIdFromPublicKey,
} from '../../src/tor/onion-address.js';

// Golden pair from Tor 0.4.9.11: `ADD_ONION NEW:ED25519-V3 Port=80,127.0.0.1:9` replied with these.
const TOR_SERVICE_ID = 'pwiyunat2kqjszj3zujtx5evq32vn3iyrs3wy7lq4gnumtkxddna62id';
const TOR_PRIVATE_KEY =
  'ED25519-V3:6KbmOAFIQGgVV6a0xxAAXBS9JbrPzVUCr41xp97uImMcvyQ/TZgJ/LFKUt+gwMLmWLatqLHEJo5NnFzkONItoQ==';

describe('tor/onion-address', () => {
  it('derives the service id Tor reported from the ED25519-V3 key blob', () => {
    expect(serviceIdFromPrivateKey(TOR_PRIVATE_KEY)).to.equal(TOR_SERVICE_ID);
  });

  it('parses an address with or without .onion, in any case, and re-encodes it', () => {
    for (const form of [TOR_SERVICE_ID, `${TOR_SERVICE_ID}.onion`, `${TOR_SERVICE_ID.toUpperCase()}.ONION`]) {
      const parsed = parseOnionAddress(form);
      expect(parsed.serviceId).to.equal(TOR_SERVICE_ID);
      expect(parsed.hostname).to.equal(`${TOR_SERVICE_ID}.onion`);
      expect(serviceIdFromPublicKey(parsed.publicKey)).to.equal(TOR_SERVICE_ID);
    }
  });

  it('rejects every single-character change (checksum, version or alphabet)', () => {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    for (let i = 0; i < TOR_SERVICE_ID.length; i++) {
      const c = TOR_SERVICE_ID[i]!;
      const other = alphabet[(alphabet.indexOf(c) + 1) % 32]!;
      const mutated = TOR_SERVICE_ID.slice(0, i) + other + TOR_SERVICE_ID.slice(i + 1);
      expect(isOnionAddress(mutated), `position ${i}`).to.equal(false);
    }
  });

  it('names the reason: length (v2), alphabet, checksum', () => {
    const reason = (a: string): string => {
      try {
        parseOnionAddress(a);
        return 'accepted';
      } catch (e) {
        expect(e).to.be.instanceOf(OnionAddressError);
        return (e as Error).message;
      }
    };
    expect(reason('expyuzz4wqqyqhjn.onion')).to.match(/got 16.*v2/);
    expect(reason(`${TOR_SERVICE_ID.slice(0, 55)}1`)).to.match(/"1" at 55 is not base32/);
    expect(reason(`a${TOR_SERVICE_ID.slice(1)}`)).to.match(/checksum|version/);
  });

  it('parses keys strictly, naming the source', () => {
    expect(parseOnionPrivateKey(`${TOR_PRIVATE_KEY}\n`).blob).to.have.length(64);
    for (const bad of [
      'RSA1024:abcd',
      'ED25519-V3:',
      'ED25519-V3:AAAA',
      TOR_PRIVATE_KEY.replace('6Kbm', '6K!m'),
      'nonsense',
    ]) {
      expect(() => parseOnionPrivateKey(bad, '/node/private/tor_onion.privkey'))
        .to.throw(OnionKeyError)
        .with.property('source', '/node/private/tor_onion.privkey');
    }
  });
});
