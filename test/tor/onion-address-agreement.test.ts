import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { DescriptorError } from '../../src/endpoints/errors.js';
import { decodeOnionV3Id, type OnionV3Problem } from '../../src/endpoints/onion-v3.js';
import { checkOnionName } from '../../src/endpoints/overlay-address.js';
import { createDefaultRegistry } from '../../src/endpoints/registry.js';
import { OnionAddressError } from '../../src/tor/errors.js';
import { parseOnionAddress } from '../../src/tor/onion-address.js';
import { base32, keyFrom, onionFor, SPEC_ONIONS } from '../endpoints/_addresses.js';

// The two entry points that check v3 onion addresses (tor's parseOnionAddress and the hint codecs'
// checkOnionName) must accept and refuse the same addresses for the same reason. The addresses are built by
// the test's own encoder (test/endpoints/_addresses.ts), not by the code under test.

type Outcome = 'ok' | OnionV3Problem['problem'];

/** What tor/onion-address says about `address`, as a category read from its message. */
function torOutcome(address: string): Outcome {
  try {
    parseOnionAddress(address);
    return 'ok';
  } catch (error) {
    expect(error).to.be.instanceOf(OnionAddressError);
    const message = (error as Error).message;
    if (/expected 56 base32 characters, got \d+/.test(message)) return 'length';
    if (/is not base32/.test(message)) return 'alphabet';
    if (/version byte is \d+, expected 3/.test(message)) return 'version';
    if (/checksum mismatch/.test(message)) return 'checksum';
    throw new Error(`unexpected message: ${message}`);
  }
}

/** What endpoints/overlay-address says about `address` (lower-case, with `.onion`), as a category. */
function endpointsOutcome(address: string): Outcome {
  const problem = checkOnionName(address);
  if (problem === undefined) return 'ok';
  if (/56 characters|56 base32 characters, got \d+/.test(problem.expected)) return 'length';
  if (/a base32 character/.test(problem.expected)) return 'alphabet';
  if (/version 3, got \d+/.test(problem.expected)) return 'version';
  if (/valid checksum/.test(problem.expected)) return 'checksum';
  throw new Error(`unexpected problem: ${problem.expected}`);
}

/** A service id from raw parts, so the checksum and version can be wrong independently. */
function idFromParts(pubkey: Uint8Array, checksum: readonly number[], version: number): string {
  return base32(Uint8Array.from([...pubkey, ...checksum, version]));
}

/** `id` with its first two adjacent different characters swapped (same length and alphabet). */
function swapFirstPair(id: string): string {
  let i = 0;
  while (id[i] === id[i + 1]) i++;
  return `${id.slice(0, i)}${id[i + 1]}${id[i]}${id.slice(i + 2)}`;
}

const strip = (name: string): string => name.slice(0, -'.onion'.length);

describe('onion addresses: tor/onion-address and endpoints/overlay-address agree', () => {
  const key = keyFrom('agreement');
  const good = strip(onionFor(key));
  // The checksum computed here, independently of the code under test (rend-spec-v3 section 6).
  const digest = createHash('sha3-256')
    .update('.onion checksum')
    .update(key)
    .update(Uint8Array.of(3))
    .digest();
  const [c0, c1] = [digest[0] ?? 0, digest[1] ?? 0];
  expect(idFromParts(key, [c0, c1], 3)).to.equal(good);

  const cases: [string, string, Outcome][] = [
    ['a fresh valid id', good, 'ok'],
    ...SPEC_ONIONS.map((name, i): [string, string, Outcome] => [`spec example ${i}`, strip(name), 'ok']),
    ['the first checksum byte flipped', idFromParts(key, [c0 ^ 0x01, c1], 3), 'checksum'],
    ['the second checksum byte flipped', idFromParts(key, [c0, c1 ^ 0x80], 3), 'checksum'],
    ['two different characters swapped', swapFirstPair(good), 'checksum'],
    ['version byte 4 (checksum for 3)', idFromParts(key, [c0, c1], 4), 'version'],
    ['version byte 4 (checksum for 4)', strip(onionFor(key, 4)), 'version'],
    ['version byte 0', idFromParts(key, [c0, c1], 0), 'version'],
    ['one character short', good.slice(1), 'length'],
    ['one character long', `${good}a`, 'length'],
    ['a v2 id (16 characters)', 'ualhejtq2p7ohfbb', 'length'],
    ['empty', '', 'length'],
    ['a digit outside base32', `${good.slice(0, 10)}1${good.slice(11)}`, 'alphabet'],
    [
      'an upper-case letter in a lower-case id',
      `${good.slice(0, 10)}${good[10]?.toUpperCase()}${good.slice(11)}`,
      'ok',
    ],
  ];

  for (const [what, id, outcome] of cases) {
    it(`${what}: ${outcome}`, () => {
      // tor/ folds case itself; overlay-address expects what the hint codec hands it (lower-case).
      const lowerId = id.toLowerCase();
      expect(torOutcome(id), 'tor, bare id').to.equal(outcome);
      expect(torOutcome(`${id}.onion`), 'tor, with .onion').to.equal(outcome);
      expect(endpointsOutcome(`${lowerId}.onion`), 'endpoints').to.equal(outcome);
      const decoded = decodeOnionV3Id(lowerId);
      expect(decoded.ok ? 'ok' : decoded.problem, 'shared decoder').to.equal(outcome);
      if (decoded.ok) expect(parseOnionAddress(id).publicKey).to.deep.equal(decoded.publicKey);
    });
  }

  it('handles upper case as before: tor folds it, the hint codec folds it, checkOnionName alone does not', () => {
    const upper = `${good.toUpperCase()}.ONION`;
    expect(parseOnionAddress(upper).serviceId).to.equal(good);
    const hint = createDefaultRegistry().parseHint(`tor:${upper}:80`);
    expect(hint).to.deep.equal({ scheme: 'tor', host: `${good}.onion`, port: 80 });
    // checkOnionName's contract is a lower-case name; upper case there is outside the alphabet.
    expect(checkOnionName(`${good.toUpperCase()}.onion`)).to.deep.equal({
      offset: 0,
      expected: 'a base32 character (a-z, 2-7) in the onion address',
    });
  });

  it('a refused address is a typed error in both: OnionAddressError and DescriptorError', () => {
    const bad = idFromParts(key, [c0 ^ 0xff, c1], 3);
    expect(() => parseOnionAddress(bad)).to.throw(OnionAddressError, /checksum mismatch/);
    expect(() => createDefaultRegistry().parseHint(`tor:${bad}.onion:80`)).to.throw(
      DescriptorError,
      /valid checksum/,
    );
  });
});
