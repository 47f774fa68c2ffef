/**
 * The SAM v3 client against a real i2pd (isolated single-router network started here), covering the replies
 * listed in shared/i2p/NOTES.md. Sessions take ~20 s each to create on i2pd 2.45, so they are created once, in
 * parallel, and shared by the tests.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { b32AddressOf, publicDestinationOf } from '../../src/i2p/destination.js';
import {
  SamCantReachPeerError,
  SamConnectionClosedError,
  SamDuplicatedIdError,
  SamInvalidIdError,
  SamInvalidKeyError,
  SamNoVersionError,
} from '../../src/i2p/errors.js';
import { SamClient } from '../../src/i2p/sam-client.js';
import { acceptForwarded } from '../../src/i2p/sam-forward.js';
import { formatSamCommand } from '../../src/i2p/sam-message.js';
import type { SamSession } from '../../src/i2p/sam-session.js';
import type { SamStream } from '../../src/i2p/sam-stream.js';
import { readBytes } from '../../test/support/read-bytes.js';
import { rejection } from '../../test/support/rejection.js';
import {
  ACCEPTOR_OPTIONS,
  i2pdOrSkip,
  startTestI2pNetwork,
  type TestI2pNetwork,
  ZERO_HOP_OPTIONS,
} from '../support/i2p-router.js';

/** Echoes everything back until the peer ends. */
function echo(stream: SamStream | Socket): void {
  stream.on('error', () => undefined);
  stream.pipe(stream);
}

describe('i2p/SAM v3 client against a real i2pd (isolated network)', function () {
  this.timeout(120_000);
  let net: TestI2pNetwork | undefined;
  let client: SamClient;
  let acceptor: SamSession; // ACCEPT side
  let connector: SamSession; // CONNECT side
  let forwarder: SamSession; // FORWARD side, closed at the end
  const servers: Server[] = [];

  before(async function () {
    const executable = i2pdOrSkip(this);
    net = await startTestI2pNetwork(executable);
    client = net.client;
    const started = Date.now();
    [acceptor, connector, forwarder] = await Promise.all([
      client.createSession({ id: 'itest-acceptor', options: ACCEPTOR_OPTIONS }),
      client.createSession({ id: 'itest-connector', options: ZERO_HOP_OPTIONS }),
      client.createSession({ id: 'itest-forwarder', options: ACCEPTOR_OPTIONS }),
    ]);
    console.log(`    3 sessions created in parallel in ${Date.now() - started} ms`);
  });

  after(async () => {
    for (const server of servers) server.close();
    await Promise.all([acceptor?.close(), connector?.close(), forwarder?.close()]);
    await net?.stop();
  });

  it('HELLO negotiates SAM 3.1 with i2pd', async () => {
    expect(await client.hello()).to.equal('3.1');
  });

  it('HELLO asking for 3.2 or later gets NOVERSION from i2pd 2.45', async () => {
    const strict = new SamClient({ ...client.bridge, minVersion: '3.2' });
    expect(await rejection(strict.hello())).to.be.instanceOf(SamNoVersionError);
  });

  it('DEST GENERATE makes an Ed25519 destination whose private key contains it', async () => {
    const { destination, privateKey } = await client.generateDestination();
    expect(destination).to.have.length(524); // 391 bytes: 387 + a 4-byte key certificate (type 7)
    expect(privateKey).to.have.length(908);
    expect(publicDestinationOf(privateKey)).to.equal(destination);
  });

  it('SESSION CREATE gives each session its destination and b32 address', () => {
    expect(acceptor.version).to.equal('3.1');
    expect(acceptor.destination).to.not.equal(connector.destination);
    expect(acceptor.b32Address).to.equal(b32AddressOf(acceptor.destination));
  });

  it('SESSION CREATE with an ID in use fails with DUPLICATED_ID', async () => {
    const error = await rejection(client.createSession({ id: acceptor.id, options: ZERO_HOP_OPTIONS }));
    expect(error).to.be.instanceOf(SamDuplicatedIdError);
    expect(error).to.include({ result: 'DUPLICATED_ID', code: 'ERR_SAM_DUPLICATED_ID' });
  });

  it('NAMING LOOKUP ME on a session returns its destination', async () => {
    expect(await acceptor.lookup('ME')).to.equal(acceptor.destination);
    expect(await connector.lookup('ME')).to.equal(connector.destination);
  });

  it('NAMING LOOKUP of our b32 address resolves to the destination (b32 derivation cross-check)', async () => {
    expect(await client.lookup(acceptor.b32Address, { timeoutMs: 30_000 })).to.equal(acceptor.destination);
  });

  it('NAMING LOOKUP of an unknown name fails with INVALID_KEY', async () => {
    const error = await rejection(client.lookup('no-such-host.i2p'));
    expect(error).to.be.instanceOf(SamInvalidKeyError);
    expect(error).to.have.property('result', 'INVALID_KEY');
  });

  it('STREAM ACCEPT + CONNECT carry data both ways and name the peer', async () => {
    const accepted = acceptor.accept({ timeoutMs: 60_000 });
    const outgoing = await connector.connect(acceptor.destination, { timeoutMs: 60_000 });
    outgoing.write('ping from the connector');
    const incoming = await accepted;
    expect(incoming.remoteDestination).to.equal(connector.destination);
    expect((await readBytes(incoming, 23)).toString()).to.equal('ping from the connector');
    const big = Buffer.alloc(256 * 1024, 7);
    incoming.write(big);
    expect((await readBytes(outgoing, big.length)).equals(big)).to.equal(true);
    outgoing.end();
    incoming.end();
    outgoing.destroy();
    incoming.destroy();
  });

  it('STREAM CONNECT to a .b32.i2p name resolves it first', async () => {
    const accepted = acceptor.accept({ timeoutMs: 60_000 });
    const outgoing = await connector.connect(acceptor.b32Address, { timeoutMs: 60_000 });
    outgoing.write('b32');
    const incoming = await accepted;
    expect((await readBytes(incoming, 3)).toString()).to.equal('b32');
    outgoing.destroy();
    incoming.destroy();
  });

  it('one session serves several concurrent streams through an accept loop', async () => {
    const listener = acceptor.listen(echo);
    try {
      const count = 8;
      const results = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const stream = await connector.connect(acceptor.destination, { timeoutMs: 60_000 });
          const message = Buffer.from(`stream ${i} `.repeat(1000));
          stream.write(message);
          const back = await readBytes(stream, message.length);
          stream.destroy();
          return back.equals(message);
        }),
      );
      expect(results).to.deep.equal(Array(count).fill(true));
    } finally {
      listener.close();
      await listener.done;
    }
  });

  it('STREAM FORWARD hands incoming streams to a local server with the peer line first', async () => {
    const server = createServer((socket) => {
      void acceptForwarded(socket, { timeoutMs: 30_000 }).then(
        (stream) => {
          stream.write(`${stream.remoteDestination === connector.destination ? 'known' : 'unknown'} peer:`);
          echo(stream);
        },
        () => socket.destroy(),
      );
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const forward = await forwarder.forward(port);
    const stream = await connector.connect(forwarder.destination, { timeoutMs: 60_000 });
    stream.write('forwarded');
    expect((await readBytes(stream, 'known peer:forwarded'.length)).toString()).to.equal(
      'known peer:forwarded',
    );
    stream.destroy();
    await forward.close();
  });

  it('STREAM CONNECT to an unpublished destination fails with CANT_REACH_PEER', async () => {
    const { destination } = await client.generateDestination();
    const started = Date.now();
    const error = await rejection(connector.connect(destination, { timeoutMs: 60_000 }));
    console.log(`      CANT_REACH_PEER after ${Date.now() - started} ms`);
    expect(error).to.be.instanceOf(SamCantReachPeerError);
    expect(error).to.include({ result: 'CANT_REACH_PEER', kind: 'network' });
  });

  it('STREAM CONNECT to a malformed destination fails with INVALID_KEY', async () => {
    const error = await rejection(connector.connect('not-a-destination'));
    expect(error).to.be.instanceOf(SamInvalidKeyError);
  });

  it('STREAM commands naming no session fail with INVALID_ID', async () => {
    const connection = await client.open();
    try {
      const line = formatSamCommand('STREAM', 'CONNECT', {
        ID: 'no-such-session',
        DESTINATION: acceptor.destination,
        SILENT: false,
      });
      const error = await rejection(connection.command(line, 'stream-status', 'STREAM CONNECT'));
      expect(error).to.be.instanceOf(SamInvalidIdError);
    } finally {
      connection.destroy();
    }
  });

  it('closing a session ends it on the bridge as well', async () => {
    await forwarder.close();
    expect(forwarder.isClosed).to.equal(true);
    expect(await rejection(forwarder.connect(acceptor.destination))).to.be.instanceOf(
      SamConnectionClosedError,
    );
    // The bridge forgets the ID once the control connection is gone (checked on a raw connection).
    let error: Error | undefined;
    for (let attempt = 0; attempt < 20 && !(error instanceof SamInvalidIdError); attempt++) {
      const connection = await client.open();
      const line = formatSamCommand('STREAM', 'ACCEPT', { ID: forwarder.id, SILENT: false });
      error = await connection.command(line, 'stream-status', 'STREAM ACCEPT').then(
        () => undefined,
        (e: Error) => e,
      );
      connection.destroy();
      if (!(error instanceof SamInvalidIdError)) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(error).to.be.instanceOf(SamInvalidIdError);
  });
});
