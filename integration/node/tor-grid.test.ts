/**
 * The anonymity mission end to end on a private Tor network on 127.0.0.1: an introducer and two storage
 * nodes reachable only as onion services, and two clients with `--hide-ip`, every node launching its own tor.
 * A file uploaded by one client is downloaded by the other, all over Tor. While the second client starts,
 * downloads and uploads, every outbound connection of this process is recorded: the test fails on any that is
 * not to a tor's SOCKS or control port or to a web gateway on loopback.
 */
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { listenerPlugins } from '../../src/cli/commands/create-node-listeners.js';
import { ListenerRegistry } from '../../src/config/create/listeners.js';
import { createNodeDirectory } from '../../src/config/create/node-dir.js';
import type { CreateNodeOptions } from '../../src/config/create/options.js';
import { type RunningNode, type StartNodeOptions, startNode } from '../../src/node/run/start-node.js';
import { sleep } from '../../src/util/abort.js';
import { installLeakGuard, type LeakGuard } from '../../test/support/leak-guard.js';
import { expectOnlyAllowedPorts, tcpAttempts } from '../support/allowed-ports.js';
import { startTorNet, type TorNet } from '../support/tornet.js';

const registry = new ListenerRegistry(listenerPlugins);
const ENCODING = { sharesNeeded: 2, sharesHappy: 2, sharesTotal: 4 };

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** The loopback TCP ports of a node's own tor (SOCKS, and control when it is not a unix socket). */
async function torPorts(node: RunningNode): Promise<number[]> {
  const tor = await node.transports.tor();
  const ports: number[] = [];
  const socks = tor.launched?.socks;
  if (socks !== undefined && 'port' in socks) ports.push(socks.port);
  const control = tor.launched?.controlTarget;
  if (control !== undefined && 'port' in control) ports.push(control.port);
  return ports;
}

describe('integration/node: a grid over a private Tor network (onion storage, --hide-ip clients)', function () {
  this.timeout(600_000);
  let net: TorNet | undefined;
  let dir: string;
  const nodes: RunningNode[] = [];
  let nodeOptions: StartNodeOptions;
  let guard: LeakGuard | undefined;

  const create = async (options: Omit<CreateNodeOptions, 'nodeDir'>, name: string): Promise<string> => {
    const nodeDir = join(dir, name);
    await createNodeDirectory({ ...options, nodeDir }, { listeners: registry });
    return nodeDir;
  };
  const start = async (nodeDir: string): Promise<RunningNode> => {
    const name = nodeDir.slice(nodeDir.lastIndexOf('/') + 1);
    const line = (level: string, message: string): void => {
      if (process.env.LAFS_TEST_VERBOSE)
        process.stderr.write(`${new Date().toISOString()} ${name} ${level} ${message}\n`);
    };
    const node = await startNode(nodeDir, {
      ...nodeOptions,
      log: {
        info: (m) => line('info', m),
        warn: (m) => line('warn', m),
        error: (e, where) => line('error', `${where}: ${e instanceof Error ? e.message : String(e)}`),
      },
    });
    nodes.push(node);
    return node;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-tor-grid-'));
    net = await startTorNet({ relays: 2, timeoutMs: 180_000 });
    nodeOptions = {
      overlays: { tor: { extraTorConfig: { ...net.clientConfig }, bootstrapTimeoutMs: 120_000 } },
    };
  });

  after(async () => {
    guard?.uninstall();
    for (const node of nodes.reverse()) await node.close().catch(() => undefined);
    await net?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('uploads from one --hide-ip client and downloads from another, through onion-only storage servers', async () => {
    const onionNode = { listen: ['tor'], hideIp: true, listenerOptions: { 'tor-launch': true } };
    const introducer = await start(await create({ kind: 'introducer', ...onionNode }, 'introducer'));
    expect(introducer.settings.anonymous).to.equal(true);
    expect(introducer.introducerUrl).to.match(/@tor:[a-z2-7]{56}\.onion:3457\//);
    await introducer.overlays.onion?.published;
    const furl = (await readFile(join(dir, 'introducer', 'private', 'introducer.furl'), 'utf8')).trim();

    const storage: RunningNode[] = [];
    for (const name of ['storage0', 'storage1']) {
      const nodeDir = await create(
        { kind: 'node', nickname: name, introducer: furl, webport: 'none', ...onionNode, ...ENCODING },
        name,
      );
      const node = await start(nodeDir);
      expect(
        node.client?.storage?.nurls.every((n) => /^pb\+tor:\/\/[^@]+@[a-z2-7]{56}\.onion:3457\//.test(n)),
      ).to.equal(true);
      storage.push(node);
    }
    await Promise.all(storage.map((s) => s.overlays.onion?.published));

    const makeClient = async (name: string): Promise<string> => {
      const nodeDir = await create(
        {
          kind: 'client',
          nickname: name,
          introducer: furl,
          webport: 'tcp:0:interface=127.0.0.1',
          hideIp: true,
          ...ENCODING,
        },
        name,
      );
      await appendFile(join(nodeDir, 'tahoe.cfg'), '\n[tor]\nlaunch = true\n');
      return nodeDir;
    };
    const uploader = await start(await makeClient('alice'));
    expect(uploader.settings.anonymous).to.equal(true);
    await waitFor(
      'alice to see both storage servers',
      () => (uploader.client!.broker.connectedCount >= 2 ? true : undefined),
      240_000,
    );

    const content = randomBytes(300_000);
    const put = await fetch(new URL('uri', uploader.webUrl), {
      method: 'PUT',
      body: content,
      signal: AbortSignal.timeout(240_000),
    });
    expect(put.status, await put.clone().text()).to.be.oneOf([200, 201]);
    const cap = (await put.text()).trim();
    expect(cap).to.match(/^URI:CHK:/);

    // From here on every connection this process opens is recorded.
    guard = installLeakGuard();
    const downloader = await start(await makeClient('bob'));
    await waitFor(
      'bob to see both storage servers',
      () => (downloader.client!.broker.connectedCount >= 2 ? true : undefined),
      240_000,
    );
    const get = await fetch(new URL(`uri/${encodeURIComponent(cap)}`, downloader.webUrl), {
      signal: AbortSignal.timeout(240_000),
    });
    expect(get.status).to.equal(200);
    const got = Buffer.from(await get.arrayBuffer());
    expect(createHash('sha256').update(got).digest('hex')).to.equal(
      createHash('sha256').update(content).digest('hex'),
    );
    const second = await fetch(new URL('uri', downloader.webUrl), {
      method: 'PUT',
      body: randomBytes(100_000),
      signal: AbortSignal.timeout(240_000),
    });
    expect(second.status).to.be.oneOf([200, 201]);
    guard.uninstall();
    guard.assertClean();

    // Every TCP connection went to a tor of this test's nodes or to a gateway: none to a storage server's port.
    const allowedPorts = new Set<number>();
    for (const node of nodes) for (const port of await torPorts(node)) allowedPorts.add(port);
    for (const node of [uploader, downloader]) allowedPorts.add(Number(new URL(node.webUrl ?? '').port));
    const storagePorts = storage.map((s) => s.settings.tor.onion?.localPort);
    for (const attempt of tcpAttempts(guard)) {
      expect(
        storagePorts,
        `a direct connection to a storage server: ${attempt.host}:${attempt.port}`,
      ).not.to.include(attempt.port);
    }
    expectOnlyAllowedPorts(guard, allowedPorts, 'a tor or a gateway');
  });
});
