/**
 * SamSession against a scripted bridge: control-connection reply ordering, PING, the session's end, the
 * accept loop's recovery, and stream data that must survive the bridge closing first.
 */
import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { SamConnectionClosedError } from '../../src/i2p/errors.js';
import { SamClient } from '../../src/i2p/sam-client.js';
import type { SamSession } from '../../src/i2p/sam-session.js';
import type { SamStream } from '../../src/i2p/sam-stream.js';
import { repoRoot } from '../support/paths.js';
import { rejection } from '../support/rejection.js';
import { answerHello, type ScriptedBridge, scriptedBridge } from './support/scripted-bridge.js';

const vector = JSON.parse(
  await readFile(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as { destination: string; privateKey: string };

type Handler = (socket: Socket, lines: AsyncIterator<string>, first: string) => Promise<void>;

/** A bridge whose SESSION CREATE succeeds at once; `control` and `stream` script what follows. */
async function bridgeWith(
  control: Handler,
  stream: Handler = async () => undefined,
): Promise<ScriptedBridge> {
  return scriptedBridge(async (socket, lines) => {
    await answerHello(socket, lines);
    const first = (await lines.next()).value as string;
    if (first.startsWith('SESSION CREATE')) {
      socket.write(`SESSION STATUS RESULT=OK DESTINATION=${vector.privateKey}\n`);
      await control(socket, lines, first);
    } else {
      await stream(socket, lines, first);
    }
  });
}

async function readAll(stream: SamStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

describe('i2p/SamSession (scripted bridge)', () => {
  let bridge: ScriptedBridge | undefined;
  let session: SamSession | undefined;
  afterEach(async () => {
    await session?.close();
    bridge?.close();
    session = undefined;
    bridge = undefined;
  });

  async function open(control: Handler, stream?: Handler): Promise<SamSession> {
    bridge = await bridgeWith(control, stream);
    session = await new SamClient({ port: bridge.port }).createSession({ id: 'unit' });
    return session;
  }

  it('derives the public destination and b32 address from SESSION STATUS', async () => {
    const s = await open(async () => undefined);
    expect(s.destination).to.equal(vector.destination);
    expect(s.b32Address).to.match(/^[a-z2-7]{52}\.b32\.i2p$/);
    expect(bridge?.received[1]).to.equal(
      'SESSION CREATE STYLE=STREAM ID=unit DESTINATION=TRANSIENT SIGNATURE_TYPE=7',
    );
  });

  it('gives each control-connection lookup its own reply, even after one gave up', async () => {
    const s = await open(async (socket, lines) => {
      expect((await lines.next()).value).to.equal('NAMING LOOKUP NAME=slow.i2p');
      expect((await lines.next()).value).to.equal('NAMING LOOKUP NAME=fast.i2p');
      socket.write('NAMING REPLY RESULT=OK NAME=slow.i2p VALUE=slow-value\n');
      socket.write('NAMING REPLY RESULT=OK NAME=fast.i2p VALUE=fast-value\n');
    });
    const slow = await s.lookup('slow.i2p', { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(slow).to.be.instanceOf(AbortError);
    expect(await s.lookup('fast.i2p', { timeoutMs: 5_000 })).to.equal('fast-value');
    expect(s.isClosed).to.equal(false);
  });

  it('answers PING on the control connection and ends when the bridge closes it', async () => {
    const s = await open(async (socket, lines) => {
      socket.write('PING 7\n');
      expect((await lines.next()).value).to.equal('PONG 7');
      await lines.next(); // the lookup, never answered
      socket.end();
    });
    const lookup = s.lookup('never.i2p').catch((e: unknown) => e);
    await s.closed;
    expect(s.isClosed).to.equal(true);
    expect(await lookup).to.be.instanceOf(SamConnectionClosedError);
    expect(await s.connect(vector.destination).catch((e: unknown) => e)).to.be.instanceOf(
      SamConnectionClosedError,
    );
  });

  it('keeps listening after a peer hangs up before its destination line', async () => {
    let accepts = 0;
    const s = await open(
      async () => undefined,
      async (socket, _lines, first) => {
        expect(first).to.equal('STREAM ACCEPT ID=unit SILENT=false');
        accepts += 1;
        socket.write('STREAM STATUS RESULT=OK\n');
        if (accepts === 1) socket.end();
        if (accepts === 2) socket.end(`${vector.destination}\nhello`);
      },
    );
    const errors: Error[] = [];
    const streams: SamStream[] = [];
    let arrived!: () => void;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const listener = s.listen(
      (stream) => {
        streams.push(stream);
        arrived();
      },
      { onError: (error) => errors.push(error) },
    );
    await first;
    expect(errors).to.have.length(1);
    expect(errors[0]).to.be.instanceOf(SamConnectionClosedError);
    expect(streams[0]?.remoteDestination).to.equal(vector.destination);
    expect(await readAll(streams[0]!)).to.equal('hello');
    // The loop re-arms: a third ACCEPT arrives; closing the session must end it and the loop.
    for (let i = 0; i < 200 && accepts < 3; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(accepts).to.equal(3);
    await s.close();
    await listener.done;
  });

  it('keeps data that arrived before the bridge closed the stream', async () => {
    const s = await open(
      async () => undefined,
      async (socket) => {
        socket.end(`STREAM STATUS RESULT=OK\n${vector.destination}\nlast words`);
      },
    );
    const stream = await s.accept();
    await new Promise((resolve) => setTimeout(resolve, 50)); // the close reaches us before anyone reads
    expect(await readAll(stream)).to.equal('last words');
  });

  it('refuses a STREAM FORWARD port outside 1-65535 before sending anything, naming the session', async () => {
    const s = await open(async () => undefined);
    for (const port of [0, 65536, 1.5]) {
      const error = await rejection(s.forward(port));
      expect(error, String(port)).to.be.instanceOf(RangeError);
      expect(error.message).to.equal(
        `STREAM FORWARD on session unit: port must be a TCP port 1-65535, got ${port}`,
      );
    }
    expect(bridge?.received.some((line) => line.startsWith('STREAM FORWARD'))).to.equal(false);
  });

  it('refuses I2CP options that would override the SAM parameters', async () => {
    const client = new SamClient({ port: 1 });
    let error: unknown;
    await client.createSession({ options: { ID: 'x' } }).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(RangeError);
    await client.createSession({ id: 'bad id' }).catch((e: unknown) => {
      error = e;
    });
    expect((error as Error).message).to.match(/session id/);
  });
});
