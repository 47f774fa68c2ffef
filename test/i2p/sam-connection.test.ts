/**
 * The socket adapter against a scripted SAM bridge on 127.0.0.1: the bridge's replies are sent in awkward
 * pieces to check that the adapter never treats one TCP chunk as one reply.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import {
  SamConnectionClosedError,
  SamLineTooLongError,
  SamNoVersionError,
  SamProtocolError,
} from '../../src/i2p/errors.js';
import { SamConnection } from '../../src/i2p/sam-connection.js';
import type { SamStream } from '../../src/i2p/sam-stream.js';

type Script = (socket: Socket, lines: AsyncIterator<string>) => Promise<void>;

/** Starts a bridge that runs `script` on each connection, giving it the client's lines one by one. */
async function scriptedBridge(script: Script): Promise<{ server: Server; port: number; received: string[] }> {
  const received: string[] = [];
  const server = createServer((socket) => {
    let buffered = '';
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        queue.push(buffered.slice(0, i));
        received.push(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
      }
      wake?.();
    });
    socket.on('error', () => undefined);
    const lines: AsyncIterator<string> = {
      next: async () => {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        return { value: queue.shift()!, done: false };
      },
    };
    void script(socket, lines).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, received };
}

/** Writes `text` one byte per write, with a pause, so the client sees many small TCP chunks. */
async function trickle(socket: Socket, text: string | Buffer): Promise<void> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 7) {
    socket.write(bytes.subarray(i, i + 7));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function readAll(stream: SamStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

describe('i2p/SamConnection (scripted bridge)', () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  it('negotiates the version from a reply that arrives in small pieces', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      await trickle(socket, 'HELLO REPLY RESULT=OK VERSION=3.1\n');
    });
    server = bridge.server;
    const connection = await SamConnection.open({ port: bridge.port });
    expect(connection.version).to.equal('3.1');
    expect(connection.atLeast32).to.equal(false);
    expect(bridge.received[0]).to.equal('HELLO VERSION MIN=3.1 MAX=3.3');
    connection.destroy();
  });

  it('sends USER and PASSWORD when configured', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.3\n');
    });
    server = bridge.server;
    const connection = await SamConnection.open({ port: bridge.port, auth: { user: 'u', password: 'p w' } });
    expect(bridge.received[0]).to.equal('HELLO VERSION MIN=3.1 MAX=3.3 USER=u PASSWORD="p w"');
    expect(connection.atLeast32).to.equal(true);
    connection.destroy();
  });

  it('raises SamNoVersionError for NOVERSION', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=NOVERSION\n');
    });
    server = bridge.server;
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamNoVersionError);
  });

  it('refuses a bridge that picks a version outside 3.1-3.x', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.0\n');
    });
    server = bridge.server;
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamProtocolError);
  });

  it('hands over payload that arrived with the status line, then the rest and the end', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.1\n');
      await lines.next();
      socket.write('PING abc\nSTREAM STATUS RESULT=OK\nfirst-');
      await lines.next(); // the PONG
      socket.end('second');
    });
    server = bridge.server;
    const connection = await SamConnection.open({ port: bridge.port });
    await connection.command('STREAM CONNECT ID=x DESTINATION=y\n', 'stream-status', 'STREAM CONNECT');
    const stream = connection.release({ destination: 'y' });
    expect(stream.remoteDestination).to.equal('y');
    expect(await readAll(stream)).to.equal('first-second');
    expect(bridge.received).to.include('PONG abc');
  });

  it('carries over an end that came with the status line', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.1\n');
      await lines.next();
      socket.end('STREAM STATUS RESULT=OK\nonly');
    });
    server = bridge.server;
    const connection = await SamConnection.open({ port: bridge.port });
    await connection.command('STREAM CONNECT ID=x DESTINATION=y\n', 'stream-status', 'STREAM CONNECT');
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the FIN arrive before the hand-over
    expect(await readAll(connection.release())).to.equal('only');
  });

  it('raises SamConnectionClosedError when the bridge hangs up mid-reply', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.end('HELLO REPLY RESULT=O');
    });
    server = bridge.server;
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamConnectionClosedError);
    expect(error).to.have.property('code', 'ERR_SAM_CLOSED');
  });

  it('raises SamLineTooLongError when a reply never ends', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write(`HELLO REPLY RESULT=OK VERSION=${'9'.repeat(2000)}`);
    });
    server = bridge.server;
    const error = await SamConnection.open({ port: bridge.port, maxLineBytes: 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SamLineTooLongError);
    expect(error).to.have.property('limit', 1024);
  });

  it('times out a silent bridge with AbortError', async () => {
    const bridge = await scriptedBridge(async () => undefined);
    server = bridge.server;
    const error = await SamConnection.open({ port: bridge.port }, { timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
    expect((error as Error).message).to.match(/timed out after 100 ms/);
  });

  it('stops at once when the signal is already aborted', async () => {
    const error = await SamConnection.open({ port: 1 }, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
  });

  it('reports a refused connection as SamConnectionClosedError', async () => {
    const bridge = await scriptedBridge(async () => undefined);
    const { port } = bridge;
    await new Promise((resolve) => bridge.server.close(resolve));
    const error = await SamConnection.open({ port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamConnectionClosedError);
    expect((error as Error).cause).to.have.property('code', 'ECONNREFUSED');
  });
});
