import type { NetworkInterfaceInfo } from 'node:os';
import { expect } from 'chai';
import { expandLocation } from '../../src/endpoints/location.js';
import { createDefaultRegistry } from '../../src/endpoints/registry.js';
import type { LocationItem } from '../../src/endpoints/types.js';
import { PrivacyError } from '../../src/errors.js';
import { SPEC_ONIONS } from './_addresses.js';
import { expectDescriptorError } from './_expect-error.js';

function iface(address: string, family: 'IPv4' | 'IPv6', internal = false): NetworkInterfaceInfo {
  const common = { address, netmask: '255.0.0.0', mac: '00:00:00:00:00:00', internal, cidr: null };
  return family === 'IPv4' ? { ...common, family } : { ...common, family, scopeid: 0 };
}

const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.168.1.20', 'IPv4'), iface('fe80::1', 'IPv6')],
  eth1: [iface('10.0.0.5', 'IPv4'), iface('192.168.1.20', 'IPv4')],
};

describe('endpoints: tub.location', () => {
  const registry = createDefaultRegistry();
  const onion = SPEC_ONIONS[1];

  const accepted: [string, LocationItem[], string][] = [
    ['AUTO', [{ type: 'auto' }], 'AUTO'],
    ['AUTODETECT', [{ type: 'auto' }], 'AUTO'],
    ['UNREACHABLE', [{ type: 'unreachable' }], 'UNREACHABLE'],
    ['disabled', [{ type: 'disabled' }], 'disabled'],
    [
      `AUTODETECT,tor:${onion}:3457`,
      [{ type: 'auto' }, { type: 'hint', hint: { scheme: 'tor', host: onion, port: 3457 } }],
      `AUTO,tor:${onion}:3457`,
    ],
    [
      'tcp:123.45.67.89:8098,tcp:tahoe.example.com:8098, 127.0.0.1:8098',
      [
        { type: 'hint', hint: { scheme: 'tcp', host: '123.45.67.89', port: 8098 } },
        { type: 'hint', hint: { scheme: 'tcp', host: 'tahoe.example.com', port: 8098 } },
        { type: 'hint', hint: { scheme: 'tcp', host: '127.0.0.1', port: 8098 } },
      ],
      'tcp:123.45.67.89:8098,tcp:tahoe.example.com:8098,tcp:127.0.0.1:8098',
    ],
    [
      'tcp:tahoe.example.com:8098,AUTO',
      [{ type: 'hint', hint: { scheme: 'tcp', host: 'tahoe.example.com', port: 8098 } }, { type: 'auto' }],
      'tcp:tahoe.example.com:8098,AUTO',
    ],
  ];
  for (const [text, items, canonical] of accepted) {
    it(`parses ${text}`, () => {
      const parsed = registry.parseLocation(text);
      expect(parsed).to.deep.equal(items);
      expect(registry.formatLocation(parsed)).to.equal(canonical);
      expect(registry.parseLocation(canonical)).to.deep.equal(items);
    });
  }

  const refused: [string, number, RegExp][] = [
    ['', 0, /got nothing/],
    ['AUTO,', 5, /got nothing/],
    ['disabled,AUTO', 0, /"disabled" alone/],
    ['AUTO,disabled', 5, /"disabled" alone/],
    ['auto', 0, /"AUTO" spelled exactly so/],
    ['AUTO,tcp:h:0', 11, /got 0/],
    ['AUTO,tpc:h:1', 5, /did you mean "tcp"/],
  ];
  for (const [text, position, pattern] of refused) {
    it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
      expectDescriptorError(() => registry.parseLocation(text), position, pattern);
    });
  }

  it('expands AUTO to every IPv4 address, loopback included, once each, as Tahoe does', () => {
    const hints = expandLocation(registry.parseLocation(`tcp:a.example:1,AUTO,tor:${onion}:2`), {
      port: 3457,
      interfaces,
    });
    expect(hints.map((h) => registry.formatHint(h))).to.deep.equal([
      'tcp:a.example:1',
      'tcp:127.0.0.1:3457',
      'tcp:192.168.1.20:3457',
      'tcp:10.0.0.5:3457',
      `tor:${onion}:2`,
    ]);
  });

  it('UNREACHABLE and disabled publish nothing', () => {
    expect(expandLocation([{ type: 'unreachable' }])).to.deep.equal([]);
    expect(expandLocation([{ type: 'disabled' }])).to.deep.equal([]);
  });

  it('uses os.networkInterfaces() when no interfaces are injected', () => {
    const hints = expandLocation([{ type: 'auto' }], { port: 1 });
    expect(hints.map((h) => registry.formatHint(h))).to.include('tcp:127.0.0.1:1');
  });

  it('needs a port to expand AUTO', () => {
    expect(() => expandLocation([{ type: 'auto' }], { interfaces })).to.throw(
      RangeError,
      /listening TCP port/,
    );
  });

  it('refuses AUTO and tcp: hints when the IP address must not be revealed', () => {
    expect(() => expandLocation([{ type: 'auto' }], { port: 1, interfaces, revealIp: false })).to.throw(
      PrivacyError,
      /AUTO/,
    );
    expect(() => expandLocation(registry.parseLocation('tcp:h.example:1'), { revealIp: false })).to.throw(
      PrivacyError,
      /tcp:h\.example:1/,
    );
    const hints = expandLocation(registry.parseLocation(`tor:${onion}:1,UNREACHABLE`), { revealIp: false });
    expect(hints).to.deep.equal([{ scheme: 'tor', host: onion, port: 1 }]);
  });
});
