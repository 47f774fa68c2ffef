import { expect } from 'chai';
import { createDefaultRegistry } from '../../src/endpoints/registry.js';
import type { ListenDescriptor } from '../../src/endpoints/types.js';
import { expectDescriptorError } from './_expect-error.js';

describe('endpoints: listen descriptors', () => {
  const registry = createDefaultRegistry();

  const accepted: [string, ListenDescriptor[], string][] = [
    ['tcp:3456', [{ scheme: 'tcp', port: 3456 }], 'tcp:3456'],
    ['3456', [{ scheme: 'tcp', port: 3456 }], 'tcp:3456'],
    [
      'tcp:3456:interface=127.0.0.1',
      [{ scheme: 'tcp', port: 3456, interface: '127.0.0.1' }],
      'tcp:3456:interface=127.0.0.1',
    ],
    [
      'tcp:port=3456:interface=127.0.0.1',
      [{ scheme: 'tcp', port: 3456, interface: '127.0.0.1' }],
      'tcp:3456:interface=127.0.0.1',
    ],
    [
      'tcp:interface=127.0.0.1:3456',
      [{ scheme: 'tcp', port: 3456, interface: '127.0.0.1' }],
      'tcp:3456:interface=127.0.0.1',
    ],
    ['tcp6:3456', [{ scheme: 'tcp', port: 3456, interface: '::' }], 'tcp:3456:interface=\\:\\:'],
    [
      'tcp6:interface=2600\\:3c01\\:\\:f03c\\:91ff\\:fe93\\:d272:3456,tcp:interface=8.8.8.8:3456',
      [
        { scheme: 'tcp', port: 3456, interface: '2600:3c01::f03c:91ff:fe93:d272' },
        { scheme: 'tcp', port: 3456, interface: '8.8.8.8' },
      ],
      'tcp:3456:interface=2600\\:3c01\\:\\:f03c\\:91ff\\:fe93\\:d272,tcp:3456:interface=8.8.8.8',
    ],
    [
      'unix:/var/run/lafs/web.sock',
      [{ scheme: 'unix', path: '/var/run/lafs/web.sock' }],
      'unix:/var/run/lafs/web.sock',
    ],
    ['unix:address=/tmp/a\\:b\\,c', [{ scheme: 'unix', path: '/tmp/a:b,c' }], 'unix:/tmp/a\\:b\\,c'],
    ['onion:3457', [{ scheme: 'onion', virtualPort: 3457 }], 'onion:3457'],
    [
      'onion:80:privateKeyFile=/k:hiddenServiceDir=/var/hs:localPort=8080',
      [
        {
          scheme: 'onion',
          virtualPort: 80,
          localPort: 8080,
          hiddenServiceDir: '/var/hs',
          privateKeyFile: '/k',
        },
      ],
      'onion:80:localPort=8080:hiddenServiceDir=/var/hs:privateKeyFile=/k',
    ],
    ['listen:tor', [{ scheme: 'listen', transport: 'tor' }], 'listen:tor'],
    ['listen:I2P', [{ scheme: 'listen', transport: 'i2p' }], 'listen:i2p'],
    [
      'listen:tor, tcp:3456',
      [
        { scheme: 'listen', transport: 'tor' },
        { scheme: 'tcp', port: 3456 },
      ],
      'listen:tor,tcp:3456',
    ],
    ['disabled', [{ scheme: 'disabled' }], 'disabled'],
  ];
  for (const [text, descriptors, canonical] of accepted) {
    it(`parses ${text}`, () => {
      const parsed = registry.parseListenList(text);
      expect(parsed).to.deep.equal(descriptors);
      expect(registry.formatListenList(parsed)).to.equal(canonical);
      expect(registry.parseListenList(canonical)).to.deep.equal(descriptors);
      for (const d of parsed) registry.validateListen(d);
    });
  }

  const refused: [string, number, RegExp][] = [
    ['tcp:65536', 4, /port number 0-65535, got 65536/],
    ['tcp:70000', 4, /got 70000/],
    ['tcp:port=abc', 9, /got "abc"/],
    ['tcp:', 4, /got ""/],
    ['tcp', 3, /port number/],
    ['tcp:80:port=81', 7, /"port" only once/],
    [
      'tcp:80:interfce=127.0.0.1',
      7,
      /one of the options port, interface; got "interfce" \(did you mean "interface"\?\)/,
    ],
    ['tcp:80:interface=localhost', 17, /IP address for interface/],
    ['tcp6:80:interface=127.0.0.1', 18, /IPv6 interface/],
    ['tcp:80:81', 7, /nothing more after the port/],
    ['unix:', 5, /socket path/],
    ['unix:/a:mode=6609', 13, /octal permissions for mode/],
    ['onion:0', 6, /virtual port number 1-65535, got 0/],
    ['onion:80:localPort=99999', 19, /localPort number 1-65535/],
    ['onion:80:hiddenServiceDir=', 26, /file path for hiddenServiceDir/],
    ['onion:80:hiddenservicedir=/x', 9, /did you mean "hiddenServiceDir"/],
    ['listen:foo', 7, /"tor" or "i2p"/],
    ['listen:', 7, /"tor" or "i2p"/],
    ['disabled:1', 9, /nothing more after "disabled"/],
    ['disabled,tcp:80', 0, /"disabled" alone/],
    ['tcp:80,disabled', 7, /"disabled" alone/],
    ['tcp:80,,tcp:81', 7, /listen descriptor, got nothing/],
    ['', 0, /listen descriptor, got nothing/],
    [
      'onoin:80',
      0,
      /listen scheme \(one of disabled, listen, onion, tcp, tcp6, unix\), got "onoin" \(did you mean "onion"\?\)/,
    ],
    ['ssl:443:privateKey=k.pem', 0, /listen scheme/],
  ];
  for (const [text, position, pattern] of refused) {
    it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
      expectDescriptorError(() => registry.parseListenList(text), position, pattern);
    });
  }

  it('refuses the malformed IPv6 interface printed in Tahoe docs (6 groups, no "::")', () => {
    expectDescriptorError(
      () => registry.parseListen('tcp6:interface=2600\\:3c01\\:f03c\\:91ff\\:fe93\\:d272:3456'),
      15,
      /IP address for interface/,
    );
  });

  it('parseListen takes exactly one descriptor', () => {
    expect(registry.parseListen('tcp:1')).to.deep.equal({ scheme: 'tcp', port: 1 });
    expectDescriptorError(() => registry.parseListen('tcp:1,tcp:2'), 5, /single listen descriptor/);
  });

  it('validates hand-built listen descriptors', () => {
    registry.validateListen({ scheme: 'onion', virtualPort: 1, localPort: 2 });
    expectDescriptorError(() => registry.validateListen({ scheme: 'tcp', port: 1.5 }), 4, /port number/);
    expectDescriptorError(
      () => registry.validateListen({ scheme: 'listen', transport: 'x' as 'tor' }),
      7,
      /"tor" or "i2p"/,
    );
  });
});
