import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { expect } from 'chai';
import type { OnionServiceSettings } from '../../src/config/types.js';
import { OnionServiceError } from '../../src/endpoints/errors.js';
import {
  formatAuthorizedClient,
  formatClientAuthPrivate,
  generateClientAuthKeyPair,
} from '../../src/tor/client-auth.js';
import { type NodeTor, startNodeTor } from '../../src/tor/node-tor.js';
import { writeOnionKeyFile } from '../../src/tor/onion-key-file.js';
import { mintOnionKey } from '../../src/tor/onion-keygen.js';
import { waitForPublished } from '../../src/tor/onion-service.js';
import { sleep } from '../../src/util/abort.js';
import { torSettings } from '../../test/support/overlay-settings.js';
import { startTorNet, type TorNet } from '../support/tornet.js';

/** Sends `payload` and reads the same number of bytes back. */
async function echo(stream: Duplex, payload: Buffer, timeoutMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let have = 0;
  return new Promise<Buffer>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out after ${have} of ${payload.length} bytes`)),
      timeoutMs,
    );
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= payload.length) {
        clearTimeout(timer);
        resolve(Buffer.concat(chunks));
      }
    });
    stream.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    stream.write(payload);
  });
}

/** Dials until the service answers (descriptors take a moment to reach every HSDir), within a bound. */
async function dialOnion(tor: NodeTor, host: string): Promise<Duplex> {
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      return await tor.connector.connect({ scheme: 'tor', host, port: 3457 }, { timeoutMs: 30_000 });
    } catch (error) {
      last = error;
      await sleep(1000);
    }
  }
  throw last;
}

describe('startNodeTor on a private Tor network: onion services and client authorization', function () {
  this.timeout(300_000);
  let net: TorNet | undefined;
  let root: string;
  let server: NodeTor | undefined;
  let clientWithKey: NodeTor | undefined;
  let clientWithoutKey: NodeTor | undefined;
  let echoServer: Server | undefined;
  let echoPort = 0;

  before(async function () {
    this.timeout(240_000);
    root = await mkdtemp(join(tmpdir(), 'lafs-node-tornet-'));
    echoServer = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echoServer!.listen(0, '127.0.0.1', resolve));
    echoPort = (echoServer.address() as { port: number }).port;
    net = await startTorNet({ timeoutMs: 180_000, log: (line) => console.log(`      tornet: ${line}`) });
    const privateDir = join(root, 'server', 'private');
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    const started = Date.now();
    server = await startNodeTor({
      settings: torSettings({ launch: true }),
      privateDir,
      extraTorConfig: net.clientConfig,
      bootstrapTimeoutMs: 60_000,
    });
    console.log(`      server tor launched and bootstrapped in ${Date.now() - started} ms`);
  });

  after(async () => {
    await Promise.all([server?.close(), clientWithKey?.close(), clientWithoutKey?.close()]);
    await net?.stop();
    await new Promise<void>((resolve) => (echoServer ? echoServer.close(() => resolve()) : resolve()));
    await rm(root, { recursive: true, force: true });
  });

  /** Onion settings with a freshly minted key file; the service id is known before the service exists. */
  async function onionSettings(
    name: string,
    authorizedClientsDir?: string,
  ): Promise<{ onion: OnionServiceSettings; serviceId: string }> {
    const minted = mintOnionKey();
    const privateKeyFile = join(root, `${name}.privkey`);
    await writeOnionKeyFile(privateKeyFile, minted.privateKey);
    const onion = {
      localPort: echoPort,
      externalPort: 3457,
      privateKeyFile,
      ...(authorizedClientsDir ? { authorizedClientsDir } : {}),
    };
    return { onion, serviceId: minted.serviceId };
  }

  const keys = generateClientAuthKeyPair();
  let privateOnion: { onion: OnionServiceSettings; serviceId: string } | undefined;

  /** The server's authorised-clients directory (one client) and the client's key directory for that service. */
  async function prepareClientAuth(): Promise<string> {
    const authorized = join(root, 'server', 'private', 'tor_authorized_clients');
    await mkdir(authorized, { recursive: true });
    await writeFile(join(authorized, 'friend.auth'), formatAuthorizedClient(keys.publicKey));
    privateOnion = await onionSettings('private', authorized);
    const clientKeys = join(root, 'client', 'private', 'tor_client_auth');
    await mkdir(clientKeys, { recursive: true, mode: 0o700 });
    await writeFile(
      join(clientKeys, 'grid.auth_private'),
      formatClientAuthPrivate(privateOnion.serviceId, keys.privateKey),
      { mode: 0o600 },
    );
    return clientKeys;
  }

  it('an onion service started from a stored key is reached through the connector, data both ways', async () => {
    const { onion } = await onionSettings('public');
    const t0 = Date.now();
    const service = await server!.startOnionService(onion);
    await service.published;
    const publishedMs = Date.now() - t0;
    // the tornet client, used as a "system tor" through its control port (SOCKS port learned from it)
    const target = net!.client.controlTarget;
    clientWithKey = await startNodeTor({
      settings: torSettings({
        controlPort: target.kind === 'tcp' ? { ...target } : { kind: 'unix', path: target.path },
        clientAuthDir: await prepareClientAuth(),
      }),
      privateDir: join(root, 'client'),
    });
    const stream = await dialOnion(clientWithKey, `${service.serviceId}.onion`);
    try {
      const payload = randomBytes(128 * 1024);
      expect((await echo(stream, payload, 60_000)).equals(payload)).to.equal(true);
    } finally {
      stream.destroy();
    }
    console.log(`      published after ${publishedMs} ms, echoed 128 KiB after ${Date.now() - t0} ms`);
  });

  it('a client-auth service: the client with the key gets through, one without gets a typed error', async () => {
    const service = await server!.startOnionService(privateOnion!.onion);
    const privateService = privateOnion!.serviceId;
    expect(service.serviceId).to.equal(privateService);
    // let the descriptor reach several HSDirs, so a client asking early is not told "not found" and kept waiting
    await waitForPublished(server!.control!, service.serviceId, { minUploads: 4, timeoutMs: 60_000 });
    const stream = await dialOnion(clientWithKey!, `${privateService}.onion`);
    try {
      const payload = randomBytes(4096);
      expect((await echo(stream, payload, 30_000)).equals(payload)).to.equal(true);
    } finally {
      stream.destroy();
    }
    const privateDir = join(root, 'outsider', 'private');
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    clientWithoutKey = await startNodeTor({
      settings: torSettings({ launch: true }),
      privateDir,
      extraTorConfig: net!.clientConfig,
      bootstrapTimeoutMs: 60_000,
    });
    let error: unknown;
    for (let attempt = 0; attempt < 10; attempt++) {
      error = await clientWithoutKey.connector
        .connect({ scheme: 'tor', host: `${privateService}.onion`, port: 3457 }, { timeoutMs: 30_000 })
        .then((s) => {
          s.destroy();
          return undefined;
        })
        .catch((e: unknown) => e);
      if (!(error instanceof OnionServiceError) || error.reply !== 0xf0) break; // 0xF0: descriptor not there yet
      await sleep(1000);
    }
    expect(error).to.be.instanceOf(OnionServiceError);
    expect(error).to.have.property('reply', 0xf4);
    expect((error as Error).message).to.match(/client authorization/);
  });
});
