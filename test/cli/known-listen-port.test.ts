import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { knownListenPort } from '../../src/cli/commands/admin.js';
import { loadNodeConfig } from '../../src/config/load.js';

// knownListenPort reads a real node directory (tahoe.cfg and client.port) through the real config loader.
describe('lafs admin: knownListenPort', () => {
  let root: string;
  let count = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lafs-listen-port-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** The listen port known for a client node with this tahoe.cfg and (if given) client.port text. */
  async function portOf(cfg: string, clientPort?: string): Promise<number | undefined> {
    const dir = join(root, `node${count++}`);
    await mkdir(join(dir, 'private'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, 'tahoe-client.tac'), '# lafs\n');
    await writeFile(join(dir, 'tahoe.cfg'), cfg);
    if (clientPort !== undefined) await writeFile(join(dir, 'client.port'), clientPort);
    return knownListenPort(await loadNodeConfig(dir));
  }

  it('reads the port remembered in client.port (tcp:PORT or tcp:port=PORT)', async () => {
    expect(await portOf('[node]\n', 'tcp:41238\n')).to.equal(41238);
    expect(await portOf('[node]\n', 'tcp:port=65535:interface=127.0.0.1\n')).to.equal(65535);
    expect(await portOf('[node]\n')).to.equal(undefined);
  });

  it('treats a client.port whose port is not 1-65535 as unknown', async () => {
    for (const bad of ['0', '65536', '1.5', '80x', '', '123456']) {
      expect(await portOf('[node]\n', `tcp:${bad}\n`), bad).to.equal(undefined);
    }
  });

  it('takes the tcp: port of tub.port, and none for tub.port = disabled', async () => {
    expect(await portOf('[node]\ntub.port = tcp:41240:interface=127.0.0.1\n', 'tcp:1\n')).to.equal(41240);
    expect(
      await portOf(
        '[node]\ntub.port = disabled\ntub.location = disabled\n[storage]\nenabled = false\n',
        'tcp:1\n',
      ),
    ).to.equal(undefined);
  });
});
