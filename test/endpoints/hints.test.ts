import { expect } from 'chai';
import { createDefaultRegistry } from '../../src/endpoints/registry.js';
import type { ConnectionHint } from '../../src/endpoints/types.js';
import { b32I2pFor, keyFrom, onionFor, SPEC_ONIONS } from './_addresses.js';
import { expectDescriptorError } from './_expect-error.js';

describe('endpoints: connection hints', () => {
  const registry = createDefaultRegistry();
  const onion = SPEC_ONIONS[0];

  const accepted: [string, ConnectionHint, string][] = [
    ['tcp:example.org:3456', { scheme: 'tcp', host: 'example.org', port: 3456 }, 'tcp:example.org:3456'],
    [
      'tcp:Tahoe.Example.ORG:1',
      { scheme: 'tcp', host: 'tahoe.example.org', port: 1 },
      'tcp:tahoe.example.org:1',
    ],
    ['TCP:10.1.2.3:65535', { scheme: 'tcp', host: '10.1.2.3', port: 65535 }, 'tcp:10.1.2.3:65535'],
    ['example.org:80', { scheme: 'tcp', host: 'example.org', port: 80 }, 'tcp:example.org:80'],
    [
      '192.168.69.247:44801',
      { scheme: 'tcp', host: '192.168.69.247', port: 44801 },
      'tcp:192.168.69.247:44801',
    ],
    ['[::1]:80', { scheme: 'tcp', host: '::1', port: 80 }, 'tcp:[::1]:80'],
    ['tcp:[2001:DB8::1]:443', { scheme: 'tcp', host: '2001:db8::1', port: 443 }, 'tcp:[2001:db8::1]:443'],
    [' tcp:a.b:9 ', { scheme: 'tcp', host: 'a.b', port: 9 }, 'tcp:a.b:9'],
    [`tor:${onion}:3457`, { scheme: 'tor', host: onion, port: 3457 }, `tor:${onion}:3457`],
    [`tor:www.${onion}:80`, { scheme: 'tor', host: `www.${onion}`, port: 80 }, `tor:www.${onion}:80`],
    [
      'tor:tahoe.example.org:3456',
      { scheme: 'tor', host: 'tahoe.example.org', port: 3456 },
      'tor:tahoe.example.org:3456',
    ],
    [`tcp:${onion}:80`, { scheme: 'tcp', host: onion, port: 80 }, `tcp:${onion}:80`],
    ['i2p:example.i2p', { scheme: 'i2p', address: 'example.i2p' }, 'i2p:example.i2p'],
    ['i2p:Example.I2P:3000', { scheme: 'i2p', address: 'example.i2p', port: 3000 }, 'i2p:example.i2p:3000'],
    [`i2p:${b32I2pFor('x')}`, { scheme: 'i2p', address: b32I2pFor('x') }, `i2p:${b32I2pFor('x')}`],
    [
      'tcp:h.example:80:future=yes:path=a\\:b\\=c\\\\d',
      { scheme: 'tcp', host: 'h.example', port: 80, options: { future: 'yes', path: 'a:b=c\\d' } },
      'tcp:h.example:80:future=yes:path=a\\:b\\=c\\\\d',
    ],
  ];
  for (const [text, hint, canonical] of accepted) {
    it(`parses ${text}`, () => {
      const parsed = registry.parseHint(text);
      expect(parsed).to.deep.equal(hint);
      expect(registry.formatHint(parsed)).to.equal(canonical);
      expect(registry.parseHint(canonical)).to.deep.equal(hint);
      registry.validateHint(parsed);
    });
  }

  it('accepts every spec example onion address and freshly built ones', () => {
    for (const name of [...SPEC_ONIONS, onionFor(keyFrom('a')), onionFor(keyFrom('b'))]) {
      expect(registry.parseHint(`tor:${name}:1`)).to.deep.equal({ scheme: 'tor', host: name, port: 1 });
    }
  });

  const refused: [string, number, RegExp][] = [
    ['tcp:example.org:0', 16, /port number 1-65535, got 0/],
    ['tcp:example.org:65536', 16, /port number 1-65535, got 65536/],
    ['tcp:example.org:80a', 16, /port number 1-65535, got "80a"/],
    ['tcp:example.org:', 16, /port number 1-65535, got ""/],
    ['tcp:example.org', 15, /port number/],
    ['tcp::80', 4, /host name or IP address, got nothing/],
    ['tcp:exa mple.org:80', 4, /host name/],
    ['tcp:example.org:80:81', 19, /nothing more after the port/],
    ['tcp:h:80:a=1:a=2', 13, /"a" is repeated/],
    ['tcp:h:80:9x=1', 9, /option name/],
    ['tpc:example.org:80', 0, /hint scheme \(one of i2p, tcp, tor\), got "tpc" \(did you mean "tcp"\?\)/],
    ['http://example.org:80', 0, /hint scheme/],
    ['tcp:[::1:80', 4, /"\]" closing/],
    ['tcp:[::1]x:80', 9, /":" after "\]"/],
    ['tcp:[example]:80', 5, /IPv6 address inside/],
    ['tcp:h\\', 5, /character after the backslash/],
    ['tcp:a:1,tcp:b:2', 7, /single hint/],
    ['', 0, /connection hint, got nothing/],
    ['tor:ualhejtq2p7ohfbb.onion:29212', 4, /v2 onion addresses \(16 characters\) are obsolete/],
    [`tor:${onion.slice(1)}:80`, 4, /56 base32 characters, got 55/],
    [`tor:${onion.slice(0, 10)}1${onion.slice(11)}:80`, 14, /base32 character/],
    // Two swapped characters: right length and alphabet, wrong checksum.
    [`tor:${onion.slice(0, 5)}${onion[6]}${onion[5]}${onion.slice(7)}:80`, 4, /valid checksum/],
    [`tor:${onionFor(keyFrom('v'), 4)}:80`, 4, /version 3, got 4/],
    ['tor:1.2.3.4:80', 4, /raw IP address 1\.2\.3\.4.*dangerouslyAllowRawIpToTor/],
    ['tor:[::1]:80', 5, /raw IP address ::1/],
    ['i2p:c2ng2pbrmxmlwpijn', 21, /ending in "\.i2p"/],
    ['i2p:', 4, /I2P address/],
    [`i2p:${'a'.repeat(51)}.b32.i2p`, 4, /52 base32 characters.*got 51/],
    [`i2p:${'a'.repeat(51)}1.b32.i2p`, 55, /base32 character/],
    ['i2p:example.i2p:0', 16, /port number/],
  ];
  for (const [text, position, pattern] of refused) {
    it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
      const error = expectDescriptorError(() => registry.parseHint(text), position, pattern);
      expect(error.kind).to.equal('config');
      expect(error.descriptor).to.equal(text);
    });
  }

  it('marks errors in data from peers as input errors', () => {
    const error = expectDescriptorError(() => registry.parseHint('tcp:h:0', { kind: 'input' }), 6, /port/);
    expect(error.kind).to.equal('input');
  });

  it('lets raw IPs through to tor: hints only with the explicit opt-in', () => {
    const policy = { dangerouslyAllowRawIpToTor: true };
    expect(registry.parseHint('tor:1.2.3.4:80', { policy })).to.deep.equal({
      scheme: 'tor',
      host: '1.2.3.4',
      port: 80,
    });
    const lenient = createDefaultRegistry(policy);
    expect(lenient.parseHint('tor:[::1]:80')).to.deep.equal({ scheme: 'tor', host: '::1', port: 80 });
    expectDescriptorError(
      () => lenient.parseHint('tor:1.2.3.4:80', { policy: { dangerouslyAllowRawIpToTor: false } }),
      4,
      /raw IP/,
    );
  });

  it('parses a comma-separated hint list with positions relative to the whole list', () => {
    expect(registry.parseHintList('tcp:a.example:1, b.example:2')).to.deep.equal([
      { scheme: 'tcp', host: 'a.example', port: 1 },
      { scheme: 'tcp', host: 'b.example', port: 2 },
    ]);
    expectDescriptorError(() => registry.parseHintList('tcp:a.example:1,tcp:b.example:0'), 30, /got 0/);
  });

  it('validates hand-built hints and refuses invalid or non-canonical ones', () => {
    registry.validateHint({ scheme: 'tcp', host: '::1', port: 1 });
    expectDescriptorError(() => registry.validateHint({ scheme: 'tcp', host: 'h', port: 0 }), 6, /got 0/);
    expectDescriptorError(
      () => registry.validateHint({ scheme: 'tcp', host: 'UPPER', port: 1 }),
      0,
      /canonical form/,
    );
    expect(() => registry.formatHint({ scheme: 'nope' })).to.throw(TypeError, /no hint codec.*"nope"/);
  });

  it('refuses over-long input without scanning it', () => {
    expectDescriptorError(
      () => registry.parseHint(`tcp:${'a'.repeat(9000)}:1`),
      8192,
      /at most 8192 characters/,
    );
  });
});
