import { expect } from 'chai';
import { formatUnixClientDescriptor, parseUnixClientDescriptor } from '../../src/endpoints/codecs/unix.js';
import { createDefaultRegistry } from '../../src/endpoints/registry.js';
import type { ListenDescriptor, UnixClientDescriptor } from '../../src/endpoints/types.js';
import { expectDescriptorError } from './_expect-error.js';

// Twisted's unix: endpoint syntax: serverFromString (address=, mode=, backlog=, lockfile=) for listen
// descriptors, clientFromString (path=, timeout=, lockfile=/checkPID=) for local daemons.

describe('endpoints: unix: descriptors (Twisted syntax)', () => {
  const registry = createDefaultRegistry();

  describe('listening (serverFromString)', () => {
    const accepted: [string, ListenDescriptor, string][] = [
      ['unix:/run/lafs.sock', { scheme: 'unix', path: '/run/lafs.sock' }, 'unix:/run/lafs.sock'],
      ['unix:address=/run/lafs.sock', { scheme: 'unix', path: '/run/lafs.sock' }, 'unix:/run/lafs.sock'],
      ['unix:/a\\:b', { scheme: 'unix', path: '/a:b' }, 'unix:/a\\:b'],
      ['unix:rel/sock', { scheme: 'unix', path: 'rel/sock' }, 'unix:rel/sock'],
      [
        'unix:/run/web.sock:mode=660:backlog=50:lockfile=1',
        { scheme: 'unix', path: '/run/web.sock', mode: 0o660, backlog: 50, lockfile: true },
        'unix:/run/web.sock:mode=660:backlog=50:lockfile=1',
      ],
      [
        'unix:lockfile=0:mode=0600:address=/s',
        { scheme: 'unix', path: '/s', mode: 0o600, lockfile: false },
        'unix:/s:mode=600:lockfile=0',
      ],
      ['unix:/s:mode=7', { scheme: 'unix', path: '/s', mode: 0o7 }, 'unix:/s:mode=007'],
    ];
    for (const [text, value, canonical] of accepted) {
      it(`reads ${JSON.stringify(text)} and writes it back as ${JSON.stringify(canonical)}`, () => {
        expect(registry.parseListen(text)).to.deep.equal(value);
        expect(registry.formatListen(value)).to.equal(canonical);
        expect(registry.parseListen(canonical)).to.deep.equal(value);
        registry.validateListen(value);
      });
    }

    const refused: [string, number, RegExp][] = [
      [
        'unix:/a:b',
        8,
        /^bad endpoint descriptor "unix:\/a:b" at position 8: expected nothing more after the address/,
      ],
      ['unix:/a:nosuch=1', 8, /one of the options address, mode, backlog, lockfile; got "nosuch"/],
      ['unix:', 5, /a socket path after "unix:"/],
      ['unix:address=', 13, /a socket path after "unix:"/],
      [
        'unix:/a:path=/b',
        8,
        /socket path as unix:PATH or address=PATH \("path=" is not used when listening\)/,
      ],
      ['unix:path=/a', 5, /"path=" is not used when listening/],
      ['unix:/a:address=/b', 8, /"address" only once/],
      ['unix:/a:mode=888', 13, /octal permissions for mode/],
      ['unix:/a:mode=', 13, /octal permissions for mode \(e\.g\. 660\), got ""/],
      ['unix:/a:backlog=0', 16, /whole number 1-65535 for backlog, got "0"/],
      ['unix:/a:backlog=1.5', 16, /for backlog, got "1\.5"/],
      ['unix:/a:lockfile=yes', 17, /0 or 1 for lockfile, got "yes"/],
      ['unix:/a:mode=660:mode=600', 17, /"mode" is repeated/],
      ['unix:/a\0b', 5, /without NUL/],
    ];
    for (const [text, position, pattern] of refused) {
      it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
        const error = expectDescriptorError(() => registry.parseListen(text), position, pattern);
        expect(error.descriptor).to.equal(text);
      });
    }

    it('validate refuses hand-built values it could not write back', () => {
      for (const bad of [
        { path: '' },
        { path: '/a', mode: 0o10000 },
        { path: '/a', backlog: 0 },
        { path: '/a', backlog: 1.5 },
      ]) {
        expect(() => registry.validateListen({ scheme: 'unix', ...bad }), JSON.stringify(bad)).to.throw(
          /bad endpoint descriptor/,
        );
      }
    });
  });

  describe('connecting (clientFromString)', () => {
    const accepted: [string, UnixClientDescriptor, string][] = [
      ['unix:/run/tor/control', { path: '/run/tor/control' }, 'unix:/run/tor/control'],
      ['UNIX:path=/run/tor/control', { path: '/run/tor/control' }, 'unix:/run/tor/control'],
      ['unix:/a\\:b', { path: '/a:b' }, 'unix:/a\\:b'],
      [
        'unix:path=/var/foo/bar:lockfile=1:timeout=9',
        { path: '/var/foo/bar', timeoutSeconds: 9, lockfile: true },
        'unix:/var/foo/bar:timeout=9:lockfile=1',
      ],
      ['unix:/s:checkPID=0', { path: '/s', lockfile: false }, 'unix:/s:lockfile=0'],
    ];
    for (const [text, value, canonical] of accepted) {
      it(`reads ${JSON.stringify(text)} and writes it back as ${JSON.stringify(canonical)}`, () => {
        expect(parseUnixClientDescriptor(text)).to.deep.equal(value);
        expect(formatUnixClientDescriptor(value)).to.equal(canonical);
        expect(parseUnixClientDescriptor(canonical)).to.deep.equal(value);
      });
    }

    const refused: [string, number, RegExp][] = [
      [
        'unix:/a:b',
        8,
        /^bad endpoint descriptor "unix:\/a:b" at position 8: expected nothing more after the path/,
      ],
      ['unix:/a:nosuch=1', 8, /one of the options path, timeout, lockfile, checkPID; got "nosuch"/],
      ['unix:', 5, /a socket path after "unix:"/],
      ['unix:path=', 10, /a socket path/],
      ['unix:address=/a', 5, /"address=" is not used when connecting/],
      ['unix:/a:mode=660', 8, /one of the options path, timeout, lockfile, checkPID; got "mode"/],
      ['unix:/a:timeout=0', 16, /whole number 1-86400 for timeout, got "0"/],
      ['unix:/a:timeout=1.5', 16, /for timeout, got "1\.5"/],
      ['unix:/a:lockfile=1:checkPID=1', 19, /lockfile or checkPID, not both/],
      ['unix:/a:checkPID=true', 17, /0 or 1 for checkPID, got "true"/],
      ['tcp:127.0.0.1:9051', 0, /a descriptor starting with "unix:"/],
    ];
    for (const [text, position, pattern] of refused) {
      it(`refuses ${JSON.stringify(text)} at ${position}`, () => {
        const error = expectDescriptorError(() => parseUnixClientDescriptor(text), position, pattern);
        expect(error.descriptor).to.equal(text);
      });
    }
  });
});
