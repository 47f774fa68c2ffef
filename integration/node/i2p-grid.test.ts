/**
 * I2P end to end through `startNode` on one isolated i2pd: a storage node created with `--listen=i2p --hide-ip`
 * publishes its destination; `lafs admin storage-announcement` prints its announcement, which goes into an
 * anonymous client's `private/servers.yaml`; the client reaches the server only through I2P and round-trips a
 * file through its web gateway. Every connection the client makes is recorded: only the SAM bridge and gateways.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { listenerPlugins } from '../../src/cli/commands/create-node-listeners.js';
import { ListenerRegistry } from '../../src/config/create/listeners.js';
import { createNodeDirectory } from '../../src/config/create/node-dir.js';
import { type RunningNode, startNode } from '../../src/node/run/start-node.js';
import { sleep } from '../../src/util/abort.js';
import { installLeakGuard, type LeakGuard } from '../../test/support/leak-guard.js';
import { expectOnlyAllowedPorts } from '../support/allowed-ports.js';
import {
  ACCEPTOR_OPTIONS,
  i2pdOrSkip,
  startTestI2pNetwork,
  type TestI2pNetwork,
} from '../support/i2p-router.js';
import { lafsOk } from '../support/node-process.js';

const ENCODING = { sharesNeeded: 1, sharesHappy: 1, sharesTotal: 2 };

describe('integration/node: a storage node reachable only over I2P, and an anonymous client', function () {
  this.timeout(300_000);
  let net: TestI2pNetwork | undefined;
  let dir: string;
  const nodes: RunningNode[] = [];
  let guard: LeakGuard | undefined;

  before(async function () {
    const executable = i2pdOrSkip(this);
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2p-grid-'));
    net = await startTestI2pNetwork(executable);
  });

  after(async () => {
    guard?.uninstall();
    for (const node of nodes.reverse()) await node.close().catch(() => undefined);
    await net?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('uploads and downloads through a pb+i2p storage server found in servers.yaml', async () => {
    const sam = `tcp:127.0.0.1:${net!.router.samPort}`;
    const overlays = { i2p: { sessionOptions: { ...ACCEPTOR_OPTIONS } } };
    const storageDir = join(dir, 'storage');
    await createNodeDirectory(
      {
        kind: 'node',
        nodeDir: storageDir,
        nickname: 'i2p-storage',
        webport: 'none',
        hideIp: true,
        listen: ['i2p'],
        listenerOptions: { 'i2p-sam-port': sam },
        ...ENCODING,
      },
      { listeners: new ListenerRegistry(listenerPlugins) },
    );
    const storage = await startNode(storageDir, { overlays });
    nodes.push(storage);
    expect(storage.settings.anonymous).to.equal(true);
    expect(storage.overlays.i2pAddress).to.match(/^[a-z2-7]{52}\.b32\.i2p$/);
    expect(storage.client?.storage?.nurls[0]).to.match(/^pb\+i2p:\/\//);

    const announcement = await lafsOk(['admin', 'storage-announcement', storageDir]);
    expect(announcement).to.include(storage.overlays.i2pAddress ?? '?');

    const clientDir = join(dir, 'client');
    await createNodeDirectory({
      kind: 'client',
      nodeDir: clientDir,
      nickname: 'i2p-client',
      webport: 'tcp:0:interface=127.0.0.1',
      hideIp: true,
      ...ENCODING,
    });
    await appendFile(join(clientDir, 'tahoe.cfg'), `\n[i2p]\nsam.port = ${sam}\n`);
    await writeFile(join(clientDir, 'private', 'servers.yaml'), announcement);

    guard = installLeakGuard();
    const client = await startNode(clientDir, { overlays, pollIntervalMs: 5000 });
    nodes.push(client);
    const deadline = Date.now() + 180_000;
    while (client.client!.broker.connectedCount < 1) {
      if (Date.now() > deadline)
        throw new Error(`not connected: ${JSON.stringify(client.client!.broker.describe())}`);
      await sleep(500);
    }
    const content = randomBytes(200_000);
    const put = await fetch(new URL('uri', client.webUrl), {
      method: 'PUT',
      body: content,
      signal: AbortSignal.timeout(120_000),
    });
    const cap = (await put.text()).trim();
    expect(put.status, cap).to.be.oneOf([200, 201]);
    const get = await fetch(new URL(`uri/${encodeURIComponent(cap)}`, client.webUrl), {
      signal: AbortSignal.timeout(120_000),
    });
    expect(get.status).to.equal(200);
    const got = Buffer.from(await get.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).to.equal(
      createHash('sha256').update(content).digest('hex'),
    );
    guard.uninstall();
    guard.assertClean();

    const allowed = new Set([net!.router.samPort, Number(new URL(client.webUrl ?? '').port)]);
    expectOnlyAllowedPorts(guard, allowed, 'SAM or a gateway');
  });
});
