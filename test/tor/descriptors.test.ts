import { expect } from 'chai';
import { formatControlTarget, parseControlDescriptor } from '../../src/tor/connect.js';
import { TorControlDescriptorError } from '../../src/tor/errors.js';
import { parseSocksListeners } from '../../src/tor/socks-listeners.js';

describe('tor/control-port descriptors', () => {
  const cases: [string, ReturnType<typeof parseControlDescriptor>][] = [
    ['tcp:127.0.0.1:9051', { kind: 'tcp', host: '127.0.0.1', port: 9051 }],
    ['tcp:host=127.0.0.1:port=9151', { kind: 'tcp', host: '127.0.0.1', port: 9151 }],
    ['tcp:port=9051:host=localhost', { kind: 'tcp', host: 'localhost', port: 9051 }],
    ['tcp:[::1]:9051', { kind: 'tcp', host: '::1', port: 9051 }],
    ['9051', { kind: 'tcp', host: '127.0.0.1', port: 9051 }],
    ['unix:/var/run/tor/control', { kind: 'unix', path: '/var/run/tor/control' }],
    ['unix:path=/run/tor/control', { kind: 'unix', path: '/run/tor/control' }],
    ['unix:/run/a\\:b', { kind: 'unix', path: '/run/a:b' }],
    ['unix:/run/tor/control:timeout=5', { kind: 'unix', path: '/run/tor/control' }],
  ];
  for (const [text, target] of cases) {
    it(`parses ${text}`, () => {
      expect(parseControlDescriptor(text)).to.deep.equal(target);
    });
  }

  it('formats targets back', () => {
    expect(formatControlTarget({ kind: 'tcp', host: '::1', port: 1 })).to.equal('tcp:[::1]:1');
    expect(formatControlTarget({ kind: 'unix', path: '/a' })).to.equal('unix:/a');
    const colon = formatControlTarget({ kind: 'unix', path: '/a:b' });
    expect(parseControlDescriptor(colon)).to.deep.equal({ kind: 'unix', path: '/a:b' });
  });

  for (const bad of [
    'tcp:127.0.0.1',
    'tcp:127.0.0.1:0',
    'tcp:127.0.0.1:70000',
    'unix:relative/path',
    'unix:/a:b',
    'unix:/a:nosuch=1',
    'unix:',
    'ssl:x:1',
    'tcp:host=a:bogus=1',
    '',
  ]) {
    it(`rejects ${JSON.stringify(bad)} naming it`, () => {
      expect(() => parseControlDescriptor(bad))
        .to.throw(TorControlDescriptorError)
        .with.property('descriptor', bad);
    });
  }
});

describe('tor/net/listeners/socks values', () => {
  it('parses quoted TCP, IPv6 and unix listeners', () => {
    expect(parseSocksListeners('"127.0.0.1:15150" "[::1]:9050" "unix:/run/tor/socks"')).to.deep.equal([
      { host: '127.0.0.1', port: 15150 },
      { host: '::1', port: 9050 },
      { unixPath: '/run/tor/socks' },
    ]);
  });

  it('gives an empty list while DisableNetwork is set', () => {
    expect(parseSocksListeners('')).to.deep.equal([]);
  });
});
