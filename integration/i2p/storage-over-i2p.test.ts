/**
 * Storage over I2P (pb+i2p): a storage server on 127.0.0.1 published as an I2P destination with
 * `startNodeI2p(...).publishDestination` (SILENT STREAM FORWARD), and a GBS client whose every connection goes
 * through the node's `i2p` connector, uploading and downloading a file. Then a node with `[i2p] launch = true`
 * starting and stopping its own (isolated) i2pd.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConnectionManager } from '../../src/endpoints/connection-manager.js';
import { b32AddressOf } from '../../src/i2p/destination.js';
import { writePrivateKeyFile } from '../../src/i2p/key-files.js';
import { type NodeI2p, startNodeI2p } from '../../src/i2p/node-i2p.js';
import { SamClient } from '../../src/i2p/sam-client.js';
import { downloadImmutable } from '../../src/storage/client/download.js';
import type { GridServer } from '../../src/storage/client/grid.js';
import { LeaseSecrets } from '../../src/storage/client/lease-secrets.js';
import { serverInfoFromAnnouncement } from '../../src/storage/client/server-info.js';
import { uploadImmutable } from '../../src/storage/client/upload.js';
import { GbsClient } from '../../src/storage/http/client.js';
import { type RunningStorageServer, startStorageServer } from '../../src/storage/server/start.js';
import { i2pSettings } from '../../test/support/overlay-settings.js';
import {
  ACCEPTOR_OPTIONS,
  i2pdOrSkip,
  startTestI2pNetwork,
  type TestI2pNetwork,
} from '../support/i2p-router.js';
import { isAlive } from '../support/processes.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe('i2p/storage over I2P: pb+i2p upload and download through a real i2pd', function () {
  this.timeout(180_000);
  let executable: string;
  let net: TestI2pNetwork | undefined;
  let dir: string;
  let node: NodeI2p | undefined;
  let server: RunningStorageServer | undefined;
  let api: GbsClient | undefined;
  const logs: string[] = [];

  before(async function () {
    executable = i2pdOrSkip(this);
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2p-storage-'));
    net = await startTestI2pNetwork(executable);
  });

  after(async () => {
    api?.close();
    await server?.close();
    await node?.close();
    await net?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a storage server at its destination and moves a file through it', async () => {
    const privateDir = join(dir, 'server', 'private');
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    const keyFile = join(privateDir, 'i2p_dest.privkey');
    const { destination, privateKey } = await net!.client.generateDestination();
    await writePrivateKeyFile(keyFile, privateKey);
    const b32 = b32AddressOf(destination);

    server = await startStorageServer({
      storageDir: join(dir, 'server', 'storage'),
      privateDir,
      listen: { host: '127.0.0.1', port: 0 },
      announce: [{ host: b32, port: 3457 }],
      nickname: 'i2p-server',
    });
    expect(server.nurl).to.match(new RegExp(`^pb\\+i2p://[^@]+@${b32}:3457/`));

    const started = Date.now();
    node = await startNodeI2p({
      settings: i2pSettings({ samPort: { kind: 'tcp', host: '127.0.0.1', port: net!.router.samPort } }),
      privateDir,
      sessionOptions: ACCEPTOR_OPTIONS,
      onLog: (message) => logs.push(message),
    });
    const published = await node.publishDestination({ port: 3457, privateKeyFile: keyFile }, server.port!, {
      timeoutMs: 120_000,
    });
    expect(published.address).to.equal(b32);
    await node.connector.prepare();
    console.log(`      destination published and client session ready in ${Date.now() - started} ms`);

    const manager = new ConnectionManager({
      anonymous: true,
      handlers: { tcp: 'disabled' },
      connectors: [node.connector],
    });
    const dialled: string[] = [];
    api = new GbsClient({
      nurl: server.nurl,
      connect: (host, port, abort) => {
        dialled.push(`${host}:${port}`);
        return manager.connect({ scheme: 'i2p', address: host, port }, abort);
      },
    });
    const grid: GridServer[] = [
      { info: serverInfoFromAnnouncement('i2p-server', server.announcement, 'i2p-server'), api },
    ];
    const data = randomBytes(1024 * 1024 + 11);
    const options = {
      leaseSecrets: new LeaseSecrets(new Uint8Array(32).fill(5)),
      convergenceSecret: new Uint8Array(16).fill(9),
      needed: 2,
      happy: 1,
      total: 3,
    };
    const uploadStart = Date.now();
    const { cap } = await uploadImmutable(data, grid, options);
    const uploadMs = Date.now() - uploadStart;
    const parts: Uint8Array[] = [];
    const downloadStart = Date.now();
    for await (const chunk of downloadImmutable(cap, grid)) parts.push(chunk);
    const downloadMs = Date.now() - downloadStart;
    console.log(`      1 MiB over I2P: upload ${uploadMs} ms, download ${downloadMs} ms`);
    expect(sha256(Buffer.concat(parts))).to.equal(sha256(data));
    expect(dialled.length).to.be.greaterThan(0);
    expect(dialled.every((d) => d === `${b32}:3457`)).to.equal(true);
  });

  it('refuses to publish a key file that other users can read', async () => {
    const keyFile = join(dir, 'loose.privkey');
    const { privateKey } = await net!.client.generateDestination();
    await writePrivateKeyFile(keyFile, privateKey);
    const { chmod } = await import('node:fs/promises');
    await chmod(keyFile, 0o644);
    const error = await node!
      .publishDestination({ port: 3457, privateKeyFile: keyFile }, 1234)
      .catch((e: unknown) => e as Error);
    expect(error).to.have.property('code', 'ERR_I2P_KEY_PERMISSIONS');
  });

  it('a node with [i2p] launch = true starts its own i2pd in private/i2p and stops it on close', async () => {
    const privateDir = join(dir, 'launching', 'private');
    await mkdir(privateDir, { recursive: true, mode: 0o700 });
    const launched = await startNodeI2p({
      settings: i2pSettings({ launch: true, executable }),
      privateDir,
      launchMode: 'isolated',
      sessionOptions: ACCEPTOR_OPTIONS,
      prepareOutgoing: false,
    });
    let pid: number | undefined;
    try {
      expect(launched.router).to.not.equal(undefined);
      pid = launched.router!.pid;
      expect(launched.router!.dataDir).to.equal(join(privateDir, 'i2p'));
      expect(isAlive(pid)).to.equal(true);
      expect(await new SamClient(launched.bridge).hello()).to.equal('3.1');
    } finally {
      const first = launched.close();
      expect(launched.close()).to.equal(first);
      await first;
    }
    expect(isAlive(pid)).to.equal(false);
  });
});
