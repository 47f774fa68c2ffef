import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createNodeDirectory } from '../../../src/config/create/node-dir.js';
import { ConfigErrors } from '../../../src/config/errors.js';
import { NodeAlreadyRunningError } from '../../../src/node/run/errors.js';
import { startNode } from '../../../src/node/run/start-node.js';
import { useLeakGuard } from '../../support/leak-guard.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

describe('node/run: startNode', function () {
  this.timeout(30_000);
  useLeakGuard();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-start-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses an anonymous node whose tub.location reveals its address, before opening anything', async () => {
    const nodeDir = join(dir, 'n');
    await createNodeDirectory({ kind: 'client', nodeDir, webport: 'none' });
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    await writeFile(
      join(nodeDir, 'tahoe.cfg'),
      cfg
        .replace(/^tub\.port = .*$/m, 'tub.port = tcp:4567:interface=127.0.0.1')
        .replace(/^tub\.location = .*$/m, 'tub.location = tcp:192.0.2.1:4567')
        .replace('reveal-IP-address = true', 'reveal-IP-address = false'),
    );
    const error = await startNode(nodeDir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ConfigErrors);
    expect((error as Error).message)
      .to.match(/tub\.location/)
      .and.match(/reveal/i);
    expect(await exists(join(nodeDir, 'running.process'))).to.equal(false);
  });

  it('runs a client, writes node.url and the pid file, refuses a second start, and cleans up on close', async () => {
    const nodeDir = join(dir, 'c');
    await createNodeDirectory({ kind: 'client', nodeDir, webport: 'tcp:0:interface=127.0.0.1' });
    const node = await startNode(nodeDir);
    try {
      expect(node.webUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await readFile(join(nodeDir, 'node.url'), 'utf8')).trim()).to.equal(node.webUrl);
      expect(await exists(join(nodeDir, 'private', 'secret'))).to.equal(true);
      const welcome = (await (await fetch(new URL('?t=json', node.webUrl))).json()) as { servers: unknown[] };
      expect(welcome.servers).to.deep.equal([]);
      const second = await startNode(nodeDir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(second).to.be.instanceOf(NodeAlreadyRunningError);
    } finally {
      await node.close();
    }
    expect(await exists(join(nodeDir, 'running.process'))).to.equal(false);
    const refused = await fetch(new URL('?t=json', node.webUrl)).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).to.equal('refused');
  });

  it('with tub.port unset, remembers the port it chose in client.port and reuses it', async () => {
    const nodeDir = join(dir, 's');
    await createNodeDirectory({ kind: 'node', nodeDir, webport: 'none', hostname: '127.0.0.1' });
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    await writeFile(
      join(nodeDir, 'tahoe.cfg'),
      cfg.replace(/^tub\.port = .*\n/m, '').replace(/^tub\.location = .*\n/m, 'tub.location = AUTO\n'),
    );
    let node = await startNode(nodeDir);
    const first = (await readFile(join(nodeDir, 'client.port'), 'utf8')).trim();
    expect(first).to.match(/^tcp:\d+$/);
    expect(node.client?.storage?.nurls.some((n) => n.includes(`@127.0.0.1:${first.slice(4)}/`))).to.equal(
      true,
    );
    await node.close();
    node = await startNode(nodeDir);
    try {
      expect((await readFile(join(nodeDir, 'client.port'), 'utf8')).trim()).to.equal(first);
    } finally {
      await node.close();
    }
  });

  it('runs an introducer whose URL is written to private/introducer.furl', async () => {
    const nodeDir = join(dir, 'i');
    await createNodeDirectory({ kind: 'introducer', nodeDir, hostname: '127.0.0.1' });
    const node = await startNode(nodeDir);
    try {
      expect(node.introducerUrl).to.match(/^pb:\/\/[A-Za-z0-9_-]{43}@tcp:127\.0\.0\.1:\d+\/[a-z2-7]+$/);
      expect((await readFile(join(nodeDir, 'private', 'introducer.furl'), 'utf8')).trim()).to.equal(
        node.introducerUrl,
      );
    } finally {
      await node.close();
    }
  });
});
