import type { Socket } from 'node:net';
import { expect } from 'chai';
import { TcpConnectError } from '../../src/endpoints/errors.js';
import { createTcpConnector, dialTcp } from '../../src/endpoints/tcp-connector.js';
import { AbortError } from '../../src/errors.js';
import { useLeakGuard } from '../support/leak-guard.js';
import { closedPort, startEchoServer } from './_socks5-server.js';

async function echo(socket: Socket | NodeJS.ReadWriteStream, text: string): Promise<string> {
  socket.write(text);
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of socket as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= text.length) break;
  }
  return Buffer.concat(chunks).toString();
}

describe('endpoints: direct TCP connector', () => {
  const guard = useLeakGuard();
  let server: Awaited<ReturnType<typeof startEchoServer>>;
  before(async () => {
    server = await startEchoServer();
  });
  after(() => server.close());

  it('connects to a tcp: hint and carries bytes both ways', async () => {
    const connector = createTcpConnector();
    const socket = await connector.connect({ scheme: 'tcp', host: '127.0.0.1', port: server.port });
    expect(await echo(socket as Socket, 'hello')).to.equal('hello');
    socket.destroy();
    expect(guard().attempts).to.deep.equal([{ kind: 'tcp', host: '127.0.0.1', port: server.port }]);
  });

  it('accepts tcp: hints only, and never .onion or .i2p hosts', () => {
    const connector = createTcpConnector();
    expect(connector.canDial({ scheme: 'tcp', host: 'a.example', port: 1 })).to.equal(true);
    expect(connector.canDial({ scheme: 'tcp', host: 'abc.onion', port: 1 })).to.equal(false);
    expect(connector.canDial({ scheme: 'tcp', host: 'abc.I2P', port: 1 })).to.equal(false);
    expect(connector.canDial({ scheme: 'tor', host: 'a.example', port: 1 })).to.equal(false);
  });

  it('rejects with TcpConnectError naming the destination and errno when refused', async () => {
    const port = await closedPort();
    const error = await dialTcp('127.0.0.1', port).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TcpConnectError);
    expect(error).to.include({ code: 'ERR_TCP_CONNECT', kind: 'network', errno: 'ECONNREFUSED', port });
    expect((error as Error).message).to.contain(`127.0.0.1:${port}`);
  });

  it('rejects at once with AbortError when the signal is already aborted, without connecting', async () => {
    const error = await dialTcp('127.0.0.1', server.port, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
    expect(guard().attempts).to.deep.equal([]);
  });

  it('rejects with AbortError and destroys the socket when aborted mid-connect', async () => {
    const controller = new AbortController();
    const pending = dialTcp('127.0.0.1', server.port, { signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect((error as AbortError).cause).to.have.property('message', 'user cancelled');
  });

  it('rejects with AbortError when timeoutMs passes before the connection is up', async () => {
    const pending = dialTcp('127.0.0.1', server.port, { timeoutMs: 1 });
    // Hold the event loop past the 1 ms deadline: the timers phase then runs before the connect completion is
    // polled, so the deadline deterministically wins (no wall-clock assertion involved).
    const until = Date.now() + 15;
    while (Date.now() < until) {
      /* busy wait */
    }
    const error = await pending.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect((error as Error).message).to.match(/timed out after 1 ms/);
  });
});
