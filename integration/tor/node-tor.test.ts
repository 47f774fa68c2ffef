import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OnionServiceSettings } from '../../src/config/types.js';
import { SocksProxyUnavailableError } from '../../src/endpoints/errors.js';
import { AbortError } from '../../src/errors.js';
import { formatClientAuthPrivate, generateClientAuthKeyPair } from '../../src/tor/client-auth.js';
import { getInfoOne } from '../../src/tor/commands.js';
import { openTorControl } from '../../src/tor/connect.js';
import {
  NoAuthorizedClientsError,
  OnionClientAuthError,
  TorControlError,
  TorControlPortUnavailableError,
  TorDisabledError,
} from '../../src/tor/errors.js';
import type { BootstrapStatus } from '../../src/tor/events.js';
import { startNodeTor } from '../../src/tor/node-tor.js';
import { addOnion, delOnion } from '../../src/tor/onion-commands.js';
import { writeOnionKeyFile } from '../../src/tor/onion-key-file.js';
import { mintOnionKey } from '../../src/tor/onion-keygen.js';
import { torSettings } from '../../test/support/overlay-settings.js';
import { processesUsing } from '../support/processes.js';
import { type StandaloneTor, startStandaloneTor } from '../support/tor-standalone.js';

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('startNodeTor against real tor (DisableNetwork 1)', function () {
  this.timeout(60_000);
  let root: string;
  let privateDir: string;
  let onion: OnionServiceSettings;
  let serviceId: string;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lafs-node-tor-'));
    privateDir = join(root, 'private');
    await mkdir(privateDir, { mode: 0o700 });
    const minted = mintOnionKey();
    serviceId = minted.serviceId;
    onion = { localPort: 40_100, externalPort: 3457, privateKeyFile: join(privateDir, 'tor_onion.privkey') };
    await writeOnionKeyFile(onion.privateKeyFile, minted.privateKey);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('launch = true: tor in private/tor-statedir, the stored onion key served, tor stopped on close', async () => {
    const progress: BootstrapStatus[] = [];
    const logs: string[] = [];
    const tor = await startNodeTor({
      settings: torSettings({ launch: true }),
      privateDir,
      extraTorConfig: { DisableNetwork: 1 },
      waitForBootstrap: false,
      onProgress: (s) => progress.push(s),
      onLog: (line) => logs.push(line),
      timeoutMs: 30_000,
    });
    try {
      expect(existsSync(join(privateDir, 'tor-statedir'))).to.equal(true);
      expect(progress.length).to.be.greaterThan(0);
      expect(logs.join('\n')).to.match(/Opened Control listener/);
      const started = await tor.startOnionService(onion);
      expect(started.serviceId).to.equal(serviceId);
      expect(await getInfoOne(tor.control!, 'onions/current')).to.include(serviceId);
      expect(tor.connector).to.include({ name: 'tor', anonymizing: true });
      expect(tor.connector.canDial({ scheme: 'tor', host: `${serviceId}.onion`, port: 3457 })).to.equal(true);
      await tor.close();
      expect(await started.published.catch((e: unknown) => e)).to.be.instanceOf(AbortError);
      expect(tor.launched!.process.hasExited()).to.equal(true);
      await tor.close(); // idempotent
    } finally {
      await tor.close();
    }
  });

  it('onion.client_auth with no authorised clients is refused with a typed error', async () => {
    const tor = await startNodeTor({
      settings: torSettings({ launch: true }),
      privateDir,
      extraTorConfig: { DisableNetwork: 1 },
      waitForBootstrap: false,
    });
    try {
      const empty = join(root, 'no-clients');
      await mkdir(empty, { recursive: true });
      const error = await tor
        .startOnionService({ ...onion, authorizedClientsDir: empty })
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(NoAuthorizedClientsError);
      const pair = generateClientAuthKeyPair();
      await writeFile(join(empty, 'alice.auth'), `descriptor:x25519:${pair.publicKey}\n`);
      const ok = await tor.startOnionService({ ...onion, authorizedClientsDir: empty });
      expect(ok.serviceId).to.equal(serviceId);
    } finally {
      await tor.close();
    }
  });

  it('a bad client_auth_dir key stops the launched tor again before the error is thrown', async () => {
    const keys = join(root, 'bad-keys');
    await mkdir(keys, { recursive: true });
    await writeFile(join(keys, 'x.auth_private'), 'garbage\n', { mode: 0o600 });
    const statePrivate = join(root, 'private-bad');
    await mkdir(statePrivate, { mode: 0o700 });
    const error = await startNodeTor({
      settings: torSettings({ launch: true, clientAuthDir: keys }),
      privateDir: statePrivate,
      extraTorConfig: { DisableNetwork: 1 },
      waitForBootstrap: false,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OnionClientAuthError);
    expect(processesUsing(statePrivate)).to.deep.equal([]);
  });

  describe('a system tor (control.port)', () => {
    let system: StandaloneTor;
    before(async () => {
      system = await startStandaloneTor({ type: 'cookie' });
    });
    after(async () => {
      await system?.stop();
    });

    it('publishes over the configured control port, adds client keys, and cleans both up on close', async () => {
      const keys = join(root, 'client-keys');
      await mkdir(keys, { recursive: true, mode: 0o700 });
      const other = mintOnionKey().serviceId;
      await writeFile(
        join(keys, 'grid.auth_private'),
        formatClientAuthPrivate(other, generateClientAuthKeyPair().privateKey),
        { mode: 0o600 },
      );
      const tor = await startNodeTor({
        settings: torSettings({
          controlPort: { kind: 'tcp', host: '127.0.0.1', port: system.controlPort },
          clientAuthDir: keys,
        }),
        privateDir,
      });
      const watcher = (await openTorControl(`tcp:127.0.0.1:${system.controlPort}`)).control;
      try {
        const view = async () =>
          (await watcher.request('ONION_CLIENT_AUTH_VIEW')).lines.map((l) => l.text).join('\n');
        expect(await view()).to.include(other);
        const started = await tor.startOnionService(onion);
        expect(started.serviceId).to.equal(serviceId);
        // while the node holds the service, the same key cannot be added again...
        const collision = await addOnion(watcher, {
          key: storedKeyText(onion),
          ports: [{ virtualPort: 1 }],
        })
          .then(() => undefined)
          .catch((e: unknown) => e);
        expect(collision).to.be.instanceOf(TorControlError).with.property('status', 550);
        await tor.close();
        // ...and after close it is gone (DEL_ONION), and so is the client credential
        const again = await addOnion(watcher, { key: storedKeyText(onion), ports: [{ virtualPort: 1 }] });
        expect(again.serviceId).to.equal(serviceId);
        await delOnion(watcher, again.serviceId);
        expect(await view()).to.not.include(other);
        expect(system.process.hasExited()).to.equal(false); // a system tor is left running
      } finally {
        await tor.close();
        await watcher.close();
      }
    });

    it('a node that only dials out opens no control connection', async () => {
      const port = await closedPort();
      const tor = await startNodeTor({
        settings: torSettings({ socksPort: { kind: 'tcp', host: '127.0.0.1', port } }),
        privateDir,
      });
      try {
        expect(tor.control).to.equal(undefined);
        const error = await tor.connector
          .connect({ scheme: 'tor', host: `${serviceId}.onion`, port: 3457 }, { timeoutMs: 5000 })
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(SocksProxyUnavailableError);
        expect((error as Error).message).to.include(`127.0.0.1:${port}`);
      } finally {
        await tor.close();
      }
    });
  });

  it('says which control port it tried when none answers', async () => {
    const port = await closedPort();
    const error = await startNodeTor({
      settings: torSettings({ controlPort: { kind: 'tcp', host: '127.0.0.1', port } }),
      privateDir,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TorControlPortUnavailableError);
    expect((error as Error).message).to.include(`tcp:127.0.0.1:${port}`);
  });

  it('refuses to start when [tor] enabled = false', async () => {
    const error = await startNodeTor({ settings: torSettings({ enabled: false }), privateDir }).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(TorDisabledError);
  });
});

/** The key text of the onion settings' key file (read synchronously for brevity). */
function storedKeyText(onion: OnionServiceSettings): string {
  return readFileSync(onion.privateKeyFile, 'utf8').trim();
}
