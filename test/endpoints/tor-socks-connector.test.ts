import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { expect } from 'chai';
import { ConnectionManager } from '../../src/endpoints/connection-manager.js';
import {
  OnionServiceError,
  RawIpToTorError,
  SocksProtocolError,
  SocksProxyUnavailableError,
  SocksReplyError,
} from '../../src/endpoints/errors.js';
import { SOCKS5_REPLY_REASONS } from '../../src/endpoints/socks5-reply.js';
import { createTcpConnector } from '../../src/endpoints/tcp-connector.js';
import { createTorSocksConnector, DEFAULT_TOR_SOCKS_PORTS } from '../../src/endpoints/tor-socks-connector.js';
import { AbortError, PrivacyError } from '../../src/errors.js';
import { useLeakGuard } from '../support/leak-guard.js';
import { SPEC_ONIONS } from './_addresses.js';
import { closedPort, type Socks5Server, startEchoServer, startSocks5Server } from './_socks5-server.js';

async function roundTrip(stream: Duplex, text: string): Promise<string> {
  stream.write(text);
  let got = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    got += chunk.toString();
    if (got.length >= text.length) break;
  }
  stream.destroy();
  return got;
}

describe('endpoints: Tor SOCKS5 connector', () => {
  const guard = useLeakGuard();
  const onion = SPEC_ONIONS[2];
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let socks: Socks5Server;
  before(async () => {
    echo = await startEchoServer();
  });
  after(() => echo.close());
  beforeEach(async () => {
    // Every name routes to the echo server, so nothing is ever resolved.
    socks = await startSocks5Server({ route: () => echo.port });
  });
  afterEach(() => socks.close());

  const proxy = (): { host: string; port: number } => ({ host: '127.0.0.1', port: socks.port });

  it('in anonymous mode sends a tcp: hint through SOCKS5 with the host name unresolved, never directly', async () => {
    const manager = new ConnectionManager({
      anonymous: true,
      connectors: [createTcpConnector(), createTorSocksConnector({ socks: proxy() })],
    });
    expect(manager.handlers.tcp).to.equal('tor');
    const stream = await manager.connect({ scheme: 'tcp', host: 'storage.example', port: 3457 });
    expect(await roundTrip(stream, 'ping')).to.equal('ping');
    expect(socks.requests).to.have.length(1);
    expect(socks.requests[0]).to.include({ addressType: 3, host: 'storage.example', port: 3457 });
    // This process connected to the SOCKS port (and the test server to the echo server), nowhere else.
    expect(guard().attempts).to.deep.equal([
      { kind: 'tcp', host: '127.0.0.1', port: socks.port },
      { kind: 'tcp', host: '127.0.0.1', port: echo.port },
    ]);
  });

  it('sends .onion names to Tor as domain names', async () => {
    const tor = createTorSocksConnector({ socks: proxy() });
    const stream = await tor.connect({ scheme: 'tor', host: onion, port: 80 });
    expect(await roundTrip(stream, 'x')).to.equal('x');
    expect(socks.requests[0]).to.include({ addressType: 3, host: onion, port: 80 });
  });

  it('isolates streams per destination by SOCKS username/password, or by the given isolation key', async () => {
    const tor = createTorSocksConnector({ socks: proxy() });
    for (const [host, key] of [
      ['a.example'],
      ['b.example'],
      ['a.example'],
      ['c.example', 'server-1'],
      ['d.example', 'server-1'],
    ]) {
      (
        await tor.connect(
          { scheme: 'tor', host: host as string, port: 1 },
          key === undefined ? {} : { isolationKey: key },
        )
      ).destroy();
    }
    const users = socks.requests.map((r) => r.username);
    expect(socks.requests.every((r) => r.methods.includes(2))).to.equal(true);
    expect(users[0]).to.match(/^lafs-[0-9a-f]{32}$/);
    expect(users[0]).to.not.equal(users[1]);
    expect(users[0]).to.equal(users[2]);
    expect(users[3]).to.equal(users[4]);
    expect(users[3]).to.not.equal(users[0]);
    expect(new Set(socks.requests.map((r) => r.password)).size).to.equal(1);
    const other = createTorSocksConnector({ socks: proxy() });
    (await other.connect({ scheme: 'tor', host: 'a.example', port: 1 })).destroy();
    expect(socks.requests[5]?.username, 'another connector instance uses other credentials').to.not.equal(
      users[0],
    );
  });

  it('offers no credentials with isolation "none", and uses a custom isolation function', async () => {
    (
      await createTorSocksConnector({ socks: proxy(), isolation: 'none' }).connect({
        scheme: 'tor',
        host: 'a.example',
        port: 1,
      })
    ).destroy();
    expect(socks.requests[0]?.methods).to.deep.equal([0]);
    const custom = createTorSocksConnector({ socks: proxy(), isolation: () => 'same' });
    (await custom.connect({ scheme: 'tor', host: 'a.example', port: 1 })).destroy();
    (await custom.connect({ scheme: 'tor', host: 'b.example', port: 2 })).destroy();
    expect(socks.requests[1]?.username).to.equal(socks.requests[2]?.username);
  });

  it('refuses raw IP destinations unless dangerouslyAllowRawIp, without connecting anywhere', async () => {
    const tor = createTorSocksConnector({ socks: proxy() });
    const error = await tor
      .connect({ scheme: 'tcp', host: '198.51.100.7', port: 80 })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RawIpToTorError).and.instanceOf(PrivacyError);
    expect((error as Error).message).to.contain('198.51.100.7');
    expect(guard().attempts).to.deep.equal([]);
    const allowed = createTorSocksConnector({ socks: proxy(), dangerouslyAllowRawIp: true });
    (await allowed.connect({ scheme: 'tor', host: '127.0.0.1', port: 9 })).destroy();
    expect(socks.requests[0]).to.include({ addressType: 1, host: '127.0.0.1', port: 9 });
  });

  describe('reply codes', () => {
    for (const [code, { reason }] of Object.entries(SOCKS5_REPLY_REASONS)) {
      const rep = Number(code);
      it(`maps reply 0x${rep.toString(16)} to a typed error saying "${reason.split(' (')[0]}"`, async () => {
        const refusing = await startSocks5Server({ reply: () => rep, dribble: rep % 2 === 0 });
        try {
          const tor = createTorSocksConnector({ socks: { host: '127.0.0.1', port: refusing.port } });
          const error = await tor.connect({ scheme: 'tor', host: onion, port: 80 }).catch((e: unknown) => e);
          expect(error).to.be.instanceOf(SocksReplyError);
          expect(error).to.include({ reply: rep, reason });
          expect((error as Error).message)
            .to.contain(onion)
            .and.contain(reason);
          if (rep >= 0xf0) {
            expect(error).to.be.instanceOf(OnionServiceError);
            expect(error).to.have.property('code', 'ERR_ONION_SERVICE');
          } else {
            expect(error).to.not.be.instanceOf(OnionServiceError);
            expect(error).to.have.property('code', 'ERR_SOCKS_REPLY');
          }
        } finally {
          await refusing.close();
        }
      });
    }

    it('says what the extended codes mean in the words of proposal 304', () => {
      expect(SOCKS5_REPLY_REASONS[0xf0]?.reason).to.match(/^onion service descriptor not found/);
      expect(SOCKS5_REPLY_REASONS[0xf4]?.kind).to.equal('config');
      expect(SOCKS5_REPLY_REASONS[0xf6]?.kind).to.equal('input');
      expect(Object.keys(SOCKS5_REPLY_REASONS).map(Number)).to.include.members([
        0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
      ]);
    });

    it('reports an unknown reply code with its number', async () => {
      const refusing = await startSocks5Server({ reply: () => 0x42 });
      try {
        const error = await createTorSocksConnector({ socks: { host: '127.0.0.1', port: refusing.port } })
          .connect({ scheme: 'tor', host: 'a.example', port: 1 })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(SocksReplyError).and.include({ reply: 0x42 });
        expect((error as Error).message).to.match(/unknown reply code \(reply 0x42\)/);
      } finally {
        await refusing.close();
      }
    });

    it('reports a proxy that is not SOCKS5 as a protocol error', async () => {
      const wrong = await startSocks5Server({ badVersion: 4 });
      try {
        const error = await createTorSocksConnector({ socks: { host: '127.0.0.1', port: wrong.port } })
          .connect({ scheme: 'tor', host: 'a.example', port: 1 })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(SocksProtocolError);
        expect((error as Error).message).to.match(/version 4, not 5/);
      } finally {
        await wrong.close();
      }
    });
  });

  describe('finding the SOCKS port', () => {
    it('defaults to 127.0.0.1:9050, then 9150, and says what was tried when none answers', async () => {
      expect(DEFAULT_TOR_SOCKS_PORTS).to.deep.equal([9050, 9150]);
      const dialled: string[] = [];
      const tor = createTorSocksConnector({
        // Record the order without touching the real ports (a Tor may run on this machine).
        dialProxy: async (host, port) => {
          dialled.push(`${host}:${port}`);
          throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
        },
      });
      const error = await tor.connect({ scheme: 'tor', host: onion, port: 1 }).catch((e: unknown) => e);
      expect(dialled).to.deep.equal(['127.0.0.1:9050', '127.0.0.1:9150']);
      expect(error).to.be.instanceOf(SocksProxyUnavailableError);
      expect((error as SocksProxyUnavailableError).tried.map((t) => t.proxy)).to.deep.equal([
        '127.0.0.1:9050',
        '127.0.0.1:9150',
      ]);
      expect((error as Error).message).to.match(
        /tried 127\.0\.0\.1:9050 .*, 127\.0\.0\.1:9150 .*socks\.port/,
      );
    });

    it('falls back to the next candidate port, then keeps using the one that answered', async () => {
      const dead = await closedPort();
      const tor = createTorSocksConnector({ candidatePorts: [dead, socks.port] });
      (await tor.connect({ scheme: 'tor', host: 'a.example', port: 1 })).destroy();
      (await tor.connect({ scheme: 'tor', host: 'b.example', port: 1 })).destroy();
      expect(tor.activeProxy).to.deep.equal({ host: '127.0.0.1', port: socks.port });
      const toProxies = guard()
        .attempts.filter((a) => a.kind === 'tcp' && a.port !== echo.port)
        .map((a) => (a.kind === 'tcp' ? a.port : 0));
      expect(toProxies).to.deep.equal([dead, socks.port, socks.port]);
    });

    it('names each refused candidate with its errno', async () => {
      const [a, b] = [await closedPort(), await closedPort()];
      const error = await createTorSocksConnector({ candidatePorts: [a, b] })
        .connect({ scheme: 'tor', host: 'a.example', port: 1 })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(SocksProxyUnavailableError);
      expect((error as Error).message)
        .to.contain(`127.0.0.1:${a} (ECONNREFUSED)`)
        .and.contain(`127.0.0.1:${b} (ECONNREFUSED)`);
    });

    it('uses only the configured SOCKS port when one is given', async () => {
      const dead = await closedPort();
      const error = await createTorSocksConnector({
        socks: { host: '127.0.0.1', port: dead },
        candidatePorts: [socks.port],
      })
        .connect({ scheme: 'tor', host: 'a.example', port: 1 })
        .catch((e: unknown) => e);
      expect((error as SocksProxyUnavailableError).tried.map((t) => t.proxy)).to.deep.equal([
        `127.0.0.1:${dead}`,
      ]);
    });
  });

  it('gives up with AbortError when the proxy stalls past timeoutMs, or when aborted', async () => {
    const stalling = await startSocks5Server({ stall: true });
    try {
      const tor = createTorSocksConnector({ socks: { host: '127.0.0.1', port: stalling.port } });
      const timedOut = await tor
        .connect({ scheme: 'tor', host: 'a.example', port: 1 }, { timeoutMs: 50 })
        .catch((e: unknown) => e);
      expect(timedOut).to.be.instanceOf(AbortError);
      expect((timedOut as Error).message).to.match(/timed out after 50 ms/);
      const controller = new AbortController();
      const pending = tor.connect(
        { scheme: 'tor', host: 'a.example', port: 1 },
        { signal: controller.signal },
      );
      setTimeout(() => controller.abort(), 20);
      expect(await pending.catch((e: unknown) => e)).to.be.instanceOf(AbortError);
    } finally {
      await stalling.close();
    }
  });

  it('hands back a socket whose early bytes from the peer are not lost', async () => {
    const tor = createTorSocksConnector({ socks: proxy() });
    const stream = (await tor.connect({ scheme: 'tor', host: 'a.example', port: 1 })) as Socket;
    expect(await roundTrip(stream, 'abc'.repeat(1000))).to.equal('abc'.repeat(1000));
  });
});
