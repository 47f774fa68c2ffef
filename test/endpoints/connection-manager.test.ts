import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { ConnectionManager } from '../../src/endpoints/connection-manager.js';
import type { Connector } from '../../src/endpoints/connector.js';
import { NoConnectorError } from '../../src/endpoints/errors.js';
import type { ConnectionHint } from '../../src/endpoints/types.js';
import { AbortError, PrivacyError } from '../../src/errors.js';

/** An in-memory connector that records what it was asked to dial. */
function recorder(
  name: string,
  schemes: string[],
  anonymizing = false,
): Connector & { dialled: ConnectionHint[] } {
  const dialled: ConnectionHint[] = [];
  return {
    name,
    anonymizing,
    dialled,
    canDial: (hint) => schemes.includes(hint.scheme),
    async connect(hint): Promise<Duplex> {
      dialled.push(hint);
      return new PassThrough();
    },
  };
}

describe('endpoints: connection manager', () => {
  const tcpHint = { scheme: 'tcp', host: 'storage.example', port: 3457 } as const;
  const torHint = { scheme: 'tor', host: 'service.example', port: 1 } as const;
  const i2pHint = { scheme: 'i2p', address: 'example.i2p' } as const;

  it('refuses tcp = tcp in anonymous mode with a PrivacyError', () => {
    expect(
      () => new ConnectionManager({ anonymous: true, handlers: { tcp: 'tcp' }, connectors: [] }),
    ).to.throw(PrivacyError, /tcp = tcp would reveal.*reveal-IP-address = false/);
  });

  it('defaults tcp to tor in anonymous mode and to tcp otherwise', () => {
    expect(new ConnectionManager({ anonymous: true, connectors: [] }).handlers).to.deep.equal({
      tcp: 'tor',
      tor: 'tor',
      i2p: 'i2p',
    });
    expect(new ConnectionManager({ anonymous: false, connectors: [] }).handlers.tcp).to.equal('tcp');
  });

  it('routes each hint type to the connector named after its handler', async () => {
    const tcp = recorder('tcp', ['tcp']);
    const tor = recorder('tor', ['tcp', 'tor'], true);
    const i2p = recorder('i2p', ['i2p'], true);
    const direct = new ConnectionManager({ anonymous: false, connectors: [tor, tcp, i2p] });
    await direct.connect(tcpHint);
    await direct.connect(torHint);
    await direct.connect(i2pHint);
    expect(tcp.dialled).to.deep.equal([tcpHint]);
    expect(tor.dialled).to.deep.equal([torHint]);
    expect(i2p.dialled).to.deep.equal([i2pHint]);

    const viaTor = new ConnectionManager({
      anonymous: false,
      handlers: { tcp: 'tor' },
      connectors: [tcp, tor],
    });
    expect(viaTor.connectorFor(tcpHint)).to.equal(tor);
  });

  it('says which [connections] setting disabled a hint', () => {
    const manager = new ConnectionManager({
      anonymous: false,
      handlers: { tcp: 'disabled', tor: 'disabled', i2p: 'disabled' },
      connectors: [recorder('tcp', ['tcp'])],
    });
    for (const hint of [tcpHint, torHint, i2pHint]) {
      expect(() => manager.connectorFor(hint)).to.throw(
        NoConnectorError,
        new RegExp(`\\[connections\\] ${hint.scheme} = disabled`),
      );
    }
  });

  it('names the missing connector when none accepts a hint', () => {
    const manager = new ConnectionManager({ anonymous: false, connectors: [recorder('tcp', ['tcp'])] });
    expect(() => manager.connectorFor(i2pHint)).to.throw(
      NoConnectorError,
      /cannot dial i2p:example\.i2p: no "i2p" connector/,
    );
    expect(() => manager.connectorFor({ scheme: 'mesh', node: 'n' })).to.throw(
      NoConnectorError,
      /no connector handles "mesh:"/,
    );
  });

  it('gives hints of user schemes to the first connector that accepts them', async () => {
    const first = recorder('mesh-a', ['mesh'], true);
    const second = recorder('mesh-b', ['mesh'], true);
    const manager = new ConnectionManager({
      anonymous: true,
      connectors: [recorder('tor', ['tor'], true), first, second],
    });
    await manager.connect({ scheme: 'mesh', node: 'n' });
    expect(first.dialled).to.have.length(1);
    expect(second.dialled).to.have.length(0);
  });

  it('in anonymous mode lets non-anonymizing connectors reach loopback only', async () => {
    const plain = recorder('local', ['local']);
    const manager = new ConnectionManager({ anonymous: true, connectors: [plain] });
    await manager.connect({ scheme: 'local', host: '127.0.0.1', port: 1 });
    await manager.connect({ scheme: 'local', host: '::1', port: 1 });
    await manager.connect({ scheme: 'local', host: 'localhost', port: 1 });
    for (const host of ['10.0.0.1', 'storage.example', '::ffff:10.0.0.1']) {
      expect(() => manager.connectorFor({ scheme: 'local', host, port: 1 })).to.throw(
        PrivacyError,
        new RegExp(`refusing to dial local:.*${host.split(':').at(-1)}`),
      );
    }
    expect(() => manager.connectorFor({ scheme: 'local', path: '/x' })).to.throw(PrivacyError);
    expect(plain.dialled).to.have.length(3);
  });

  it('checks the signal before choosing a connector', async () => {
    const manager = new ConnectionManager({ anonymous: false, connectors: [recorder('tcp', ['tcp'])] });
    const error = await manager.connect(tcpHint, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
  });
});
