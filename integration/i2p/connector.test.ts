/**
 * The `i2p` connector against a real i2pd (isolated one-router network): the ConnectionManager dials `i2p:`
 * hints through one lazily created SAM session to an acceptor session on the same router, data flows both
 * ways, and failures come back typed.
 */
import type { Duplex } from 'node:stream';
import { expect } from 'chai';
import { ConnectionManager } from '../../src/endpoints/connection-manager.js';
import { AbortError } from '../../src/errors.js';
import { b32AddressOf } from '../../src/i2p/destination.js';
import { I2pNameNotFoundError } from '../../src/i2p/errors.js';
import { createI2pConnector, type I2pConnector } from '../../src/i2p/i2p-connector.js';
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

describe('i2p/createI2pConnector with the ConnectionManager against a real i2pd', function () {
  this.timeout(120_000);
  let net: TestI2pNetwork | undefined;
  let acceptor: SamSession;
  let connector: I2pConnector;
  let manager: ConnectionManager;
  let factoryCalls = 0;

  before(async function () {
    const executable = i2pdOrSkip(this);
    net = await startTestI2pNetwork(executable);
    const client = net.client;
    connector = createI2pConnector({
      session: () => {
        factoryCalls += 1;
        return client.createSession({ id: `itest-out-${factoryCalls}`, options: ZERO_HOP_OPTIONS });
      },
      connectTimeoutMs: 60_000,
    });
    // An anonymous node with tcp disabled: only the anonymizing i2p connector may dial.
    manager = new ConnectionManager({
      anonymous: true,
      handlers: { tcp: 'disabled' },
      connectors: [connector],
    });
    const started = Date.now();
    [acceptor] = await Promise.all([
      client.createSession({ id: 'itest-conn-acceptor', options: ACCEPTOR_OPTIONS }),
      connector.prepare(),
    ]);
    console.log(`    acceptor and connector sessions ready in ${Date.now() - started} ms`);
  });

  after(async () => {
    await connector?.close();
    await acceptor?.close();
    await net?.stop();
  });

  it('is the anonymizing "i2p" connector and accepts only well-formed i2p: hints', () => {
    expect(manager.connectorFor({ scheme: 'i2p', address: acceptor.b32Address })).to.equal(connector);
    expect(connector.canDial({ scheme: 'i2p', address: 'example.i2p', port: 3457 })).to.equal(true);
    expect(connector.canDial({ scheme: 'i2p', address: 'example.onion' })).to.equal(false);
    expect(connector.canDial({ scheme: 'tor', host: 'x.onion', port: 1 })).to.equal(false);
    expect(() => manager.connectorFor({ scheme: 'tcp', host: '192.0.2.1', port: 80 })).to.throw();
  });

  it('dials a .b32.i2p hint through the manager; data flows both ways on one shared session', async () => {
    const streams: Duplex[] = [];
    try {
      const count = 4;
      const accepted: Promise<SamStream>[] = [];
      const listener = acceptor.listen((stream) => {
        accepted.push(Promise.resolve(stream));
        stream.on('error', () => undefined);
        stream.pipe(stream);
      });
      const results = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const stream = await manager.connect(
            { scheme: 'i2p', address: acceptor.b32Address, port: 3457 },
            { timeoutMs: 60_000 },
          );
          streams.push(stream);
          const message = Buffer.from(`i2p stream ${i};`.repeat(5000));
          stream.write(message);
          return (await readBytes(stream, message.length)).equals(message);
        }),
      );
      expect(results).to.deep.equal(Array(count).fill(true));
      const peers = await Promise.all(accepted);
      expect(peers.map((s) => s.remoteDestination)).to.deep.equal(
        Array(count).fill(connector.session?.destination),
      );
      expect(factoryCalls).to.equal(1);
      listener.close();
      await listener.done;
    } finally {
      for (const stream of streams) stream.destroy();
    }
  });

  it('an address-book name the router does not know fails with I2pNameNotFoundError', async () => {
    const error = await rejection(manager.connect({ scheme: 'i2p', address: 'no-such-host.i2p' }));
    expect(error).to.be.instanceOf(I2pNameNotFoundError);
    expect(error).to.include({ code: 'ERR_I2P_NAME_NOT_FOUND', kind: 'network' });
  });

  it('a destination nobody publishes fails with I2pNameNotFoundError', async () => {
    const { destination } = await net!.client.generateDestination();
    const error = await rejection(
      manager.connect({ scheme: 'i2p', address: b32AddressOf(destination) }, { timeoutMs: 60_000 }),
    );
    // i2pd 2.45 answers the LeaseSet lookup with INVALID_KEY at once (its own floodfill has no LeaseSet).
    expect(error).to.be.instanceOf(I2pNameNotFoundError);
    expect(error.message).to.contain(b32AddressOf(destination));
  });

  it('a dial whose deadline passes rejects with an AbortError naming the hint', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      manager.connect({ scheme: 'i2p', address: acceptor.b32Address }, { signal: controller.signal }),
    );
    expect(error).to.be.instanceOf(AbortError);
    expect(error.message).to.contain(acceptor.b32Address);
  });
});
