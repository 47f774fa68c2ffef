/**
 * The socket adapter against a scripted SAM bridge on 127.0.0.1: the bridge's replies are sent in awkward
 * pieces to check that the adapter never treats one TCP chunk as one reply.
 */
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
import { rejection } from '../support/rejection.js';
import { type ScriptedBridge, scriptedBridge, trickle } from './support/scripted-bridge.js';

async function readAll(stream: SamStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

describe('i2p/SamConnection (scripted bridge)', () => {
  let bridge: ScriptedBridge | undefined;
  afterEach(() => {
    bridge?.close();
    bridge = undefined;
  });

  it('negotiates the version from a reply that arrives in small pieces', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      await trickle(socket, 'HELLO REPLY RESULT=OK VERSION=3.1\n');
    });
    const connection = await SamConnection.open({ port: bridge.port });
    expect(connection.version).to.equal('3.1');
    expect(connection.atLeast32).to.equal(false);
    expect(bridge.received[0]).to.equal('HELLO VERSION MIN=3.1 MAX=3.3');
    connection.destroy();
  });

  it('sends USER and PASSWORD when configured', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.3\n');
    });
    const connection = await SamConnection.open({ port: bridge.port, auth: { user: 'u', password: 'p w' } });
    expect(bridge.received[0]).to.equal('HELLO VERSION MIN=3.1 MAX=3.3 USER=u PASSWORD="p w"');
    expect(connection.atLeast32).to.equal(true);
    connection.destroy();
  });

  it('raises SamNoVersionError for NOVERSION', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=NOVERSION\n');
    });
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamNoVersionError);
  });

  it('refuses a bridge that picks a version outside 3.1-3.x', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.0\n');
    });
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamProtocolError);
  });

  it('hands over payload that arrived with the status line, then the rest and the end', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.1\n');
      await lines.next();
      socket.write('PING abc\nSTREAM STATUS RESULT=OK\nfirst-');
      await lines.next(); // the PONG
      socket.end('second');
    });
    const connection = await SamConnection.open({ port: bridge.port });
    await connection.command('STREAM CONNECT ID=x DESTINATION=y\n', 'stream-status', 'STREAM CONNECT');
    const stream = connection.release({ destination: 'y' });
    expect(stream.remoteDestination).to.equal('y');
    expect(await readAll(stream)).to.equal('first-second');
    expect(bridge.received).to.include('PONG abc');
  });

  it('carries over an end that came with the status line', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write('HELLO REPLY RESULT=OK VERSION=3.1\n');
      await lines.next();
      socket.end('STREAM STATUS RESULT=OK\nonly');
    });
    const connection = await SamConnection.open({ port: bridge.port });
    await connection.command('STREAM CONNECT ID=x DESTINATION=y\n', 'stream-status', 'STREAM CONNECT');
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the FIN arrive before the hand-over
    expect(await readAll(connection.release())).to.equal('only');
  });

  it('raises SamConnectionClosedError when the bridge hangs up mid-reply', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.end('HELLO REPLY RESULT=O');
    });
    const error = await SamConnection.open({ port: bridge.port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamConnectionClosedError);
    expect(error).to.have.property('code', 'ERR_SAM_CLOSED');
  });

  it('raises SamLineTooLongError when a reply never ends', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await lines.next();
      socket.write(`HELLO REPLY RESULT=OK VERSION=${'9'.repeat(2000)}`);
    });
    const error = await SamConnection.open({ port: bridge.port, maxLineBytes: 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SamLineTooLongError);
    expect(error).to.have.property('limit', 1024);
  });

  it('times out a silent bridge with AbortError', async () => {
    bridge = await scriptedBridge(async () => undefined);
    const error = await SamConnection.open({ port: bridge.port }, { timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
    expect((error as Error).message).to.match(/timed out after 100 ms/);
  });

  it('words a cancellation "SAM <step> was aborted", with the reason as cause', async () => {
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    bridge = await scriptedBridge(async (_socket, lines) => {
      await lines.next(); // the HELLO is in: cancel while the client waits for the reply
      controller.abort(reason);
    });
    const error = await rejection(SamConnection.open({ port: bridge.port }, { signal: controller.signal }));
    expect(error).to.be.instanceOf(AbortError);
    expect(error.message).to.match(/^SAM .+ was aborted$/);
    expect(error.cause).to.equal(reason);
  });

  it('stops at once when the signal is already aborted', async () => {
    const error = await SamConnection.open({ port: 1 }, { signal: AbortSignal.abort() }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AbortError);
  });

  it('reports a refused connection as SamConnectionClosedError', async () => {
    bridge = await scriptedBridge(async () => undefined);
    const { port } = bridge;
    bridge.close();
    const error = await SamConnection.open({ port }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SamConnectionClosedError);
    expect((error as Error).cause).to.have.property('code', 'ECONNREFUSED');
    expect((error as Error).message).to.contain(`127.0.0.1:${port}`);
  });
});
