import { expect } from 'chai';
import { parseClientEndpoint } from '../../src/config/client-endpoint.js';
import { DescriptorError } from '../../src/endpoints/errors.js';

describe('config/client-endpoint parseClientEndpoint', () => {
  it('reads positional and named tcp forms, with IPv6 escaped or in brackets', () => {
    const v6 = { kind: 'tcp', host: '::1', port: 9050 };
    expect(parseClientEndpoint(' tcp:127.0.0.1:9050 ')).to.deep.equal({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 9050,
    });
    expect(parseClientEndpoint('TCP:host=localhost:port=7656:timeout=5')).to.deep.equal({
      kind: 'tcp',
      host: 'localhost',
      port: 7656,
    });
    expect(parseClientEndpoint('tcp:\\:\\:1:9050')).to.deep.equal(v6);
    expect(parseClientEndpoint('tcp:[::1]:9050')).to.deep.equal(v6);
  });

  it('reads unix paths, positional or named, with escaped colons', () => {
    expect(parseClientEndpoint('unix:/run/tor/socks')).to.deep.equal({
      kind: 'unix',
      path: '/run/tor/socks',
    });
    expect(parseClientEndpoint('unix:path=/run/a\\:b')).to.deep.equal({ kind: 'unix', path: '/run/a:b' });
    expect(parseClientEndpoint('unix:/run/tor/control:timeout=5:lockfile=1')).to.deep.equal({
      kind: 'unix',
      path: '/run/tor/control',
      timeoutSeconds: 5,
      lockfile: true,
    });
  });

  it('names what is wrong', () => {
    expect(() => parseClientEndpoint('tcp:127.0.0.1')).to.throw(RangeError, /port number 1-65535, got ""/);
    expect(() => parseClientEndpoint('tcp:127.0.0.1:65536')).to.throw(RangeError, /got "65536"/);
    expect(() => parseClientEndpoint('tcp::9050')).to.throw(RangeError, /needs a host/);
    expect(() => parseClientEndpoint('tcp:h:1:extra')).to.throw(RangeError, /unexpected parts/);
    expect(() => parseClientEndpoint('unix:')).to.throw(DescriptorError, /socket path/);
    // unix: follows Twisted's clientFromString: extra parts are refused with their position, not dropped.
    expect(() => parseClientEndpoint('unix:/a:b')).to.throw(DescriptorError, /at position 8: .*nothing more/);
    expect(() => parseClientEndpoint('unix:/a:nosuch=1')).to.throw(DescriptorError, /got "nosuch"/);
    expect(() => parseClientEndpoint('ssl:h:1')).to.throw(RangeError, /not a client endpoint/);
    expect(() => parseClientEndpoint('tcp:[::1:9050')).to.throw(DescriptorError);
  });
});
