import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { ConnectionManager } from '../../../src/endpoints/connection-manager.js';
import type { Connector } from '../../../src/endpoints/connector.js';
import { NoConnectorError, RawIpToTorError } from '../../../src/endpoints/errors.js';
import { createTcpConnector } from '../../../src/endpoints/tcp-connector.js';
import { torConnectorsForPeers } from '../../../src/endpoints/tor-socks-connector.js';
import type { ConnectionHint } from '../../../src/endpoints/types.js';
import { AbortError, PrivacyError } from '../../../src/errors.js';
import { connectorForManager, hintForNurlHost } from '../../../src/storage/client/nurl-connector.js';
import { GbsClient } from '../../../src/storage/http/client.js';
import { formatNurl, parseNurl } from '../../../src/storage/http/nurl.js';
import { type RunningStorageServer, startStorageServer } from '../../../src/storage/server/start.js';
import { SPEC_ONIONS } from '../../endpoints/_addresses.js';
import { type Socks5Server, startSocks5Server } from '../../endpoints/_socks5-server.js';
import { useLeakGuard } from '../../support/leak-guard.js';

const ONION = SPEC_ONIONS[0];
const I2P = 'ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p';
/** TEST-NET-3 (RFC 5737): any attempt to reach it directly is a leak the guard reports. */
const RAW_IP = '203.0.113.5';

describe('storage client: NURL connector over the connection manager', function () {
  this.timeout(30_000);
  const guard = useLeakGuard();
  let dir: string;
  let server: RunningStorageServer;
  let socks: Socks5Server;
  const clients: GbsClient[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-nurl-connector-'));
    server = await startStorageServer({
      storageDir: join(dir, 'storage'),
      privateDir: join(dir, 'private'),
      listen: { host: '127.0.0.1', port: 0 },
      crawler: false,
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    // The fake Tor relays every destination to the storage server, so nothing is ever resolved or left loopback.
    socks = await startSocks5Server({ route: () => server.port });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await socks.close();
  });

  /** The server's NURL with another host (as it would announce behind Tor or at a public address). */
  function nurlAt(host: string, port: number): string {
    const { swissnum } = parseNurl(server.nurl);
    return formatNurl({ spkiHash: server.identity.spkiHash, host, port, swissnum });
  }

  function client(nurl: string, connect: ReturnType<typeof connectorForManager>): GbsClient {
    const c = new GbsClient({ nurl, connect });
    clients.push(c);
    return c;
  }

  function anonymousManager(): ConnectionManager {
    return new ConnectionManager({
      anonymous: true,
      connectors: [
        createTcpConnector(),
        ...torConnectorsForPeers({ socks: { host: '127.0.0.1', port: socks.port } }),
      ],
    });
  }

  it('maps NURL hosts to hints: .onion to tor:, .i2p to i2p:, anything else to tcp:', () => {
    expect(hintForNurlHost(ONION.toUpperCase(), 3457)).to.deep.equal({
      scheme: 'tor',
      host: ONION,
      port: 3457,
    });
    expect(hintForNurlHost(I2P, 443)).to.deep.equal({ scheme: 'i2p', address: I2P, port: 443 });
    expect(hintForNurlHost('Storage.Example', 1)).to.deep.equal({
      scheme: 'tcp',
      host: 'storage.example',
      port: 1,
    });
    expect(hintForNurlHost('::1', 2)).to.deep.equal({ scheme: 'tcp', host: '::1', port: 2 });
  });

  it('maps a pb+i2p NURL without a port to an i2p: hint without one; refuses a portless host elsewhere', () => {
    expect(hintForNurlHost(I2P, undefined)).to.deep.equal({ scheme: 'i2p', address: I2P });
    expect(() => hintForNurlHost(ONION, undefined)).to.throw(RangeError, /port is required/);
    expect(() => hintForNurlHost('storage.example', undefined)).to.throw(RangeError, /port is required/);
  });

  it('anonymous: a raw IP from an announcement goes through Tor unresolved, never directly', async () => {
    const api = client(
      nurlAt(RAW_IP, 3457),
      connectorForManager(anonymousManager(), { isolationKey: 'v0-a' }),
    );
    const version = await api.getVersion();
    expect(version).to.be.an('object');
    expect(socks.requests).to.have.length(1);
    expect(socks.requests[0]).to.include({ addressType: 1, host: RAW_IP, port: 3457 });
    // This process dialled the SOCKS port only (the fake Tor then dialled the storage server).
    expect(guard().attempts).to.deep.equal([
      { kind: 'tcp', host: '127.0.0.1', port: socks.port },
      { kind: 'tcp', host: '127.0.0.1', port: server.port },
    ]);
  });

  it('anonymous: an onion NURL goes to Tor as a host name; servers are isolated by their id', async () => {
    const manager = anonymousManager();
    const nurl = nurlAt(ONION, 3457);
    await client(nurl, connectorForManager(manager, { isolationKey: 'v0-a' })).getVersion();
    await client(nurl, connectorForManager(manager, { isolationKey: 'v0-a' })).getVersion();
    await client(nurl, connectorForManager(manager, { isolationKey: 'v0-b' })).getVersion();
    expect(socks.requests.map((r) => [r.addressType, r.host, r.port])).to.deep.equal([
      [3, ONION, 3457],
      [3, ONION, 3457],
      [3, ONION, 3457],
    ]);
    const [a1, a2, b] = socks.requests.map((r) => r.username);
    expect(a1).to.be.a('string').and.equal(a2);
    expect(b).to.be.a('string').and.not.equal(a1);
    expect(socks.requests.map((r) => r.username).join()).not.to.include('v0-');
  });

  it('still refuses a raw IP in a tor: hint', async () => {
    const error = await anonymousManager()
      .connect({ scheme: 'tor', host: RAW_IP, port: 80 })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RawIpToTorError);
    expect(socks.requests).to.have.length(0);
  });

  it('anonymous without Tor: refuses to dial rather than connect directly', async () => {
    const manager = new ConnectionManager({
      anonymous: true,
      handlers: { tcp: 'tor' },
      connectors: [createTcpConnector()],
    });
    const error = await connectorForManager(manager)(RAW_IP, 3457, {}).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NoConnectorError);
    expect(guard().attempts).to.deep.equal([]);
  });

  it('dials loopback directly when not anonymous; anonymous refuses a non-anonymizing connector (PrivacyError)', async () => {
    const manager = new ConnectionManager({ anonymous: false, connectors: [createTcpConnector()] });
    const direct = connectorForManager(manager);
    await client(server.nurl, direct).getVersion();
    expect(socks.requests).to.have.length(0);
    const strict = new ConnectionManager({
      anonymous: true,
      connectors: [{ ...createTcpConnector(), name: 'tor', anonymizing: false }],
    });
    const error = await connectorForManager(strict)(RAW_IP, 1, {}).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(PrivacyError);
    expect(guard().attempts).to.deep.equal([{ kind: 'tcp', host: '127.0.0.1', port: server.port }]);
  });

  it('hands .i2p hosts to the i2p connector with the isolation key and deadline', async () => {
    const seen: { hint: ConnectionHint; isolationKey?: string; timeoutMs?: number }[] = [];
    const recorder: Connector = {
      name: 'i2p',
      anonymizing: true,
      canDial: (hint) => hint.scheme === 'i2p',
      connect: async (hint, options = {}) => {
        seen.push({ hint, isolationKey: options.isolationKey, timeoutMs: options.timeoutMs });
        return new PassThrough();
      },
    };
    const manager = new ConnectionManager({ anonymous: true, connectors: [recorder] });
    await connectorForManager(manager, { isolationKey: 'v0-c', timeoutMs: 5000 })(I2P, 0, {});
    await connectorForManager(manager, { isolationKey: 'v0-c', timeoutMs: 5000 })(I2P, 7, { timeoutMs: 9 });
    expect(seen).to.deep.equal([
      { hint: { scheme: 'i2p', address: I2P, port: 0 }, isolationKey: 'v0-c', timeoutMs: 5000 },
      { hint: { scheme: 'i2p', address: I2P, port: 7 }, isolationKey: 'v0-c', timeoutMs: 9 },
    ]);
  });

  it('rejects with AbortError when the signal is already aborted, without dialling', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await connectorForManager(anonymousManager())(ONION, 1, {
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect(guard().attempts).to.deep.equal([]);
  });
});
