import net from 'node:net';
import { expect } from 'chai';
import { installLeakGuard, loopbackOnly } from '../support/leak-guard.js';
import { startEchoServer } from './_socks5-server.js';

describe('test support: leak guard', () => {
  it('records every form of connect and blocks destinations the rule refuses', async () => {
    const echo = await startEchoServer();
    const forbidden = echo.port;
    const original = net.Socket.prototype.connect;
    // Forbid one loopback port, so the test never needs a non-local address.
    const guard = installLeakGuard((d) => d.kind === 'tcp' && d.port !== forbidden);
    try {
      const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
        net.connect({ host: '127.0.0.1', port: forbidden }).once('error', resolve);
      });
      expect(error.code).to.equal('ELEAKGUARD');
      new net.Socket().once('error', () => {}).connect(forbidden, 'localhost');
      net.createConnection('/tmp/lafs-leak-guard-test.sock').once('error', () => {});
      expect(guard.attempts).to.deep.equal([
        { kind: 'tcp', host: '127.0.0.1', port: forbidden },
        { kind: 'tcp', host: 'localhost', port: forbidden },
        { kind: 'ipc', path: '/tmp/lafs-leak-guard-test.sock' },
      ]);
      expect(guard.violations).to.have.length(3);
      expect(() => guard.assertClean()).to.throw(
        /3 forbidden connection\(s\): 127\.0\.0\.1:\d+, localhost:\d+, unix:/,
      );
      expect(() => installLeakGuard()).to.throw(/already installed/);
    } finally {
      guard.uninstall();
      await echo.close();
    }
    expect(net.Socket.prototype.connect, 'uninstall restores connect').to.equal(original);
  });

  it('allows loopback and Unix sockets by default', () => {
    expect(loopbackOnly({ kind: 'tcp', host: '127.0.0.1', port: 1 })).to.equal(true);
    expect(loopbackOnly({ kind: 'tcp', host: '127.3.4.5', port: 1 })).to.equal(true);
    expect(loopbackOnly({ kind: 'tcp', host: '::1', port: 1 })).to.equal(true);
    expect(loopbackOnly({ kind: 'tcp', host: 'LOCALHOST', port: 1 })).to.equal(true);
    expect(loopbackOnly({ kind: 'ipc', path: '/run/tor/socks' })).to.equal(true);
    expect(loopbackOnly({ kind: 'tcp', host: '10.0.0.1', port: 1 })).to.equal(false);
    expect(loopbackOnly({ kind: 'tcp', host: 'example.org', port: 1 })).to.equal(false);
    expect(loopbackOnly({ kind: 'tcp', host: '128.0.0.1', port: 1 })).to.equal(false);
  });
});
