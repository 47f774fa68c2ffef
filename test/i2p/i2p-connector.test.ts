/**
 * The `i2p` connector against a scripted SAM bridge: hint acceptance, one lazily created session shared by
 * concurrent dials, NAMING LOOKUP before CONNECT, bounded lookups and dials, typed failures, re-creating an
 * ended session, and close.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { I2pNameNotFoundError, I2pSessionError, SamCantReachPeerError } from '../../src/i2p/errors.js';
import { createI2pConnector, type I2pConnector } from '../../src/i2p/i2p-connector.js';
import { SamClient } from '../../src/i2p/sam-client.js';
import type { SamSession } from '../../src/i2p/sam-session.js';
import { repoRoot } from '../support/paths.js';
import { rejection } from '../support/rejection.js';
import { answerHello, type ScriptedBridge, scriptedBridge } from './support/scripted-bridge.js';

const vector = JSON.parse(
  await readFile(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as { destination: string; privateKey: string; b32: string };

/** The bridge's behaviour, and what it saw. */
interface Bridge {
  bridge: ScriptedBridge;
  client: SamClient;
  /** Control sockets of created sessions, in order. */
  sessions: Socket[];
}

/**
 * A bridge that creates sessions at once (or never, with `holdSessions`), resolves the vector's b32 address
 * and `known.i2p`, answers INVALID_KEY for `unknown.i2p`, never answers `slow.i2p`, and echoes CONNECTed
 * streams (CANT_REACH_PEER for the destination `unreachable`).
 */
async function startBridge(holdSessions = false): Promise<Bridge> {
  const sessions: Socket[] = [];
  const bridge = await scriptedBridge(async (socket, lines) => {
    await answerHello(socket, lines);
    const line = (await lines.next()).value as string;
    if (line.startsWith('SESSION CREATE')) {
      if (holdSessions) return;
      sessions.push(socket);
      socket.write(`SESSION STATUS RESULT=OK DESTINATION=${vector.privateKey}\n`);
    } else if (line.startsWith('NAMING LOOKUP')) {
      const name = /NAME=(\S+)/.exec(line)?.[1];
      if (name === 'slow.i2p') return;
      if (name === vector.b32 || name === 'known.i2p')
        socket.write(`NAMING REPLY RESULT=OK NAME=${name} VALUE=${vector.destination}\n`);
      else socket.write(`NAMING REPLY RESULT=INVALID_KEY NAME=${name}\n`);
    } else if (line.startsWith('STREAM CONNECT')) {
      socket.write('STREAM STATUS RESULT=OK\n');
      socket.pipe(socket);
    }
  });
  return { bridge, client: new SamClient({ port: bridge.port }), sessions };
}

function roundTrip(stream: Duplex, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    stream.on('data', (chunk: Buffer) => {
      got += chunk.toString('latin1');
      if (got.length >= text.length) resolve(got);
    });
    stream.once('error', reject);
    stream.write(text);
  });
}

describe('i2p/createI2pConnector (scripted SAM bridge)', () => {
  let b: Bridge | undefined;
  let connector: I2pConnector | undefined;
  const streams: Duplex[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.destroy();
    await connector?.close();
    b?.bridge.close();
    connector = undefined;
    b = undefined;
  });

  function counted(client: SamClient): { calls: () => number; factory: () => Promise<SamSession> } {
    let calls = 0;
    return {
      calls: () => calls,
      factory: () => {
        calls += 1;
        return client.createSession();
      },
    };
  }

  it('accepts well-formed i2p: hints only, without I/O', () => {
    const c = createI2pConnector({ session: () => Promise.reject(new Error('must not be called')) });
    expect(c).to.include({ name: 'i2p', anonymizing: true });
    expect(c.canDial({ scheme: 'i2p', address: vector.b32 })).to.equal(true);
    expect(c.canDial({ scheme: 'i2p', address: 'Example.I2P', port: 3457 })).to.equal(true);
    expect(c.canDial({ scheme: 'i2p', address: 'example.onion' })).to.equal(false);
    expect(c.canDial({ scheme: 'i2p', address: 'abc.b32.i2p' })).to.equal(false);
    expect(c.canDial({ scheme: 'i2p', address: 'example.i2p', port: 70000 })).to.equal(false);
    for (const port of [0, 65536, 1.5, Number.NaN]) {
      expect(c.canDial({ scheme: 'i2p', address: 'example.i2p', port }), String(port)).to.equal(false);
    }
    expect(c.canDial({ scheme: 'i2p', address: 'example.i2p', port: 65535 })).to.equal(true);
    expect(c.canDial({ scheme: 'tcp', host: 'example.i2p', port: 1 })).to.equal(false);
    expect(c.session).to.equal(undefined);
  });

  it('serves concurrent dials from one session, looking the address up before STREAM CONNECT', async () => {
    b = await startBridge();
    const { calls, factory } = counted(b.client);
    connector = createI2pConnector({ session: factory });
    const dialled = await Promise.all(
      [vector.b32, 'known.i2p', vector.b32.toUpperCase()].map((address) =>
        connector!.connect({ scheme: 'i2p', address, port: 3457 }),
      ),
    );
    streams.push(...dialled);
    expect(calls()).to.equal(1);
    expect(await Promise.all(dialled.map((s, i) => roundTrip(s, `hello ${i}`)))).to.deep.equal([
      'hello 0',
      'hello 1',
      'hello 2',
    ]);
    const connects = b.bridge.received.filter((l) => l.startsWith('STREAM CONNECT'));
    expect(connects).to.have.length(3);
    // SAM 3.1: the destination is the looked-up base64, and no TO_PORT is sent.
    for (const line of connects)
      expect(line).to.contain(`DESTINATION=${vector.destination}`).and.not.contain('PORT');
    expect(b.bridge.received).to.include(`NAMING LOOKUP NAME=${vector.b32}`);
  });

  it('reports a name the router cannot resolve as I2pNameNotFoundError', async () => {
    b = await startBridge();
    connector = createI2pConnector({ session: b.client.createSession.bind(b.client, {}) });
    const error = await rejection(connector.connect({ scheme: 'i2p', address: 'unknown.i2p' }));
    expect(error).to.be.instanceOf(I2pNameNotFoundError);
    expect(error).to.include({ code: 'ERR_I2P_NAME_NOT_FOUND', i2pName: 'unknown.i2p' });
  });

  it('bounds a lookup that never answers, naming the hint', async () => {
    b = await startBridge();
    connector = createI2pConnector({ session: () => b!.client.createSession(), lookupTimeoutMs: 100 });
    const error = await rejection(connector.connect({ scheme: 'i2p', address: 'slow.i2p', port: 1 }));
    expect(error).to.be.instanceOf(AbortError);
    expect(error.message).to.contain('i2p:slow.i2p:1').and.contain('100 ms');
  });

  it('bounds the wait for a session whose creation hangs, and keeps creating it for later dials', async () => {
    b = await startBridge(true);
    const { calls, factory } = counted(b.client);
    connector = createI2pConnector({ session: factory });
    const first = await rejection(
      connector.connect({ scheme: 'i2p', address: 'known.i2p' }, { timeoutMs: 50 }),
    );
    expect(first).to.be.instanceOf(AbortError);
    expect(first.message).to.contain('i2p:known.i2p').and.contain('50 ms');
    const second = await rejection(
      connector.connect({ scheme: 'i2p', address: 'known.i2p' }, { timeoutMs: 50 }),
    );
    expect(second).to.be.instanceOf(AbortError);
    expect(calls()).to.equal(1);
  });

  it('wraps a failed session creation in I2pSessionError and tries again on the next dial', async () => {
    let calls = 0;
    connector = createI2pConnector({
      session: () => {
        calls += 1;
        return new SamClient({ port: 1 }).createSession({ timeoutMs: 2_000 });
      },
    });
    for (let i = 0; i < 2; i++) {
      const error = await rejection(connector.connect({ scheme: 'i2p', address: 'known.i2p' }));
      expect(error).to.be.instanceOf(I2pSessionError);
      expect(error).to.include({ code: 'ERR_I2P_SESSION', kind: 'network' });
      expect((error as Error & { cause?: unknown }).cause).to.be.an('error');
    }
    expect(calls).to.equal(2);
  });

  it('re-creates the session after the bridge ended it', async () => {
    b = await startBridge();
    const { calls, factory } = counted(b.client);
    connector = createI2pConnector({ session: factory });
    streams.push(await connector.connect({ scheme: 'i2p', address: 'known.i2p' }));
    const old = connector.session!;
    b.sessions[0]!.destroy();
    await old.closed;
    streams.push(await connector.connect({ scheme: 'i2p', address: 'known.i2p' }));
    expect(calls()).to.equal(2);
    expect(connector.session).to.not.equal(old);
  });

  it('passes through CANT_REACH_PEER typed', async () => {
    const bridge = await scriptedBridge(async (socket, lines) => {
      await answerHello(socket, lines);
      const line = (await lines.next()).value as string;
      if (line.startsWith('SESSION CREATE'))
        socket.write(`SESSION STATUS RESULT=OK DESTINATION=${vector.privateKey}\n`);
      else if (line.startsWith('NAMING LOOKUP'))
        socket.write(`NAMING REPLY RESULT=OK NAME=known.i2p VALUE=${vector.destination}\n`);
      else socket.write('STREAM STATUS RESULT=CANT_REACH_PEER MESSAGE="no lease set"\n');
    });
    b = { bridge, client: new SamClient({ port: bridge.port }), sessions: [] };
    connector = createI2pConnector({ session: () => b!.client.createSession() });
    const error = await rejection(connector.connect({ scheme: 'i2p', address: 'known.i2p' }));
    expect(error).to.be.instanceOf(SamCantReachPeerError);
  });

  it('a session given directly stays the caller’s; once it ends, dials fail with I2pSessionError', async () => {
    b = await startBridge();
    const session = await b.client.createSession();
    connector = createI2pConnector({ session });
    streams.push(await connector.connect({ scheme: 'i2p', address: 'known.i2p' }));
    await connector.close();
    expect(session.isClosed).to.equal(false);
    await session.close();
    const other = createI2pConnector({ session });
    expect(await rejection(other.connect({ scheme: 'i2p', address: 'known.i2p' }))).to.be.instanceOf(
      I2pSessionError,
    );
  });

  it('close() ends the session it created and refuses later dials', async () => {
    b = await startBridge();
    connector = createI2pConnector({ session: () => b!.client.createSession() });
    const session = await connector.prepare();
    await connector.close();
    expect(session.isClosed).to.equal(true);
    expect(await rejection(connector.connect({ scheme: 'i2p', address: 'known.i2p' }))).to.be.instanceOf(
      I2pSessionError,
    );
    expect(await rejection(connector.connect({ scheme: 'tcp', host: 'x', port: 1 }))).to.be.instanceOf(
      TypeError,
    );
  });
});
