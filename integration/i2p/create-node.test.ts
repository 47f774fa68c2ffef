/**
 * `lafs create-node --listen=i2p` against a real i2pd: the destination comes from DEST GENERATE on the router
 * at `--i2p-sam-port` (or on a temporary offline i2pd with `--i2p-launch`), tahoe.cfg carries Tahoe's [i2p]
 * keys, the key file is private, and the result loads (anonymous with `--hide-ip`).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { loadNodeConfig } from '../../src/config/load.js';
import { b32AddressOf, publicDestinationOf } from '../../src/i2p/destination.js';
import { findFreePort } from '../../src/i2p/i2pd-launcher.js';
import { readPrivateKeyFile } from '../../src/i2p/key-files.js';
import { cliPath } from '../../test/support/paths.js';
import { i2pdOrSkip, startTestI2pNetwork, type TestI2pNetwork } from '../support/i2p-router.js';

const execFileAsync = promisify(execFile);

async function lafs(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [cliPath, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Pids of i2pd processes whose data directory is a create-node temporary one. */
async function createNodeRouters(): Promise<string[]> {
  const pids: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('--datadir=') && cmdline.includes('lafs-create-i2pd-')) pids.push(pid);
  }
  return pids;
}

describe('i2p/lafs create-node --listen=i2p with a real i2pd', function () {
  this.timeout(60_000);
  let executable: string;
  let net: TestI2pNetwork | undefined;
  let dir: string;

  before(async function () {
    executable = i2pdOrSkip(this);
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2p-create-'));
    net = await startTestI2pNetwork(executable);
  });

  after(async () => {
    await net?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--i2p-sam-port --hide-ip writes Tahoe [i2p] keys and a 0600 key, and loads as anonymous', async () => {
    const nodeDir = join(dir, 'sam-node');
    const sam = `tcp:127.0.0.1:${net!.router.samPort}`;
    const run = await lafs('create-node', '--listen=i2p', `--i2p-sam-port=${sam}`, '--hide-ip', nodeDir);
    expect(run.code, run.stderr).to.equal(0);

    const keyFile = join(nodeDir, 'private', 'i2p_dest.privkey');
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
    const b32 = b32AddressOf(publicDestinationOf(await readPrivateKeyFile(keyFile)));
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.match(/^tub\.port = listen:i2p$/m);
    expect(cfg).to.match(new RegExp(`^tub\\.location = i2p:${b32}:3457$`, 'm'));
    expect(cfg).to.match(/^reveal-IP-address = false$/m);
    for (const line of [
      `sam.port = ${sam}`,
      'dest = true',
      'dest.port = 3457',
      'dest.private_key_file = private/i2p_dest.privkey',
    ]) {
      expect(cfg).to.contain(`${line}\n`);
    }

    const settings = await loadNodeConfig(nodeDir);
    expect(settings.anonymous).to.equal(true);
    expect(settings.i2p.samPort).to.deep.equal({ kind: 'tcp', host: '127.0.0.1', port: net!.router.samPort });
    expect(settings.i2p.destination).to.deep.equal({ port: 3457, privateKeyFile: keyFile });
  });

  it('--i2p-launch makes the key on a temporary i2pd, stops it, and writes launch = true', async () => {
    const before = await createNodeRouters();
    const nodeDir = join(dir, 'launch-node');
    const run = await lafs(
      'create-node',
      '--listen=i2p',
      '--i2p-launch',
      `--i2p-executable=${executable}`,
      '--hide-ip',
      nodeDir,
    );
    expect(run.code, run.stderr).to.equal(0);
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.contain('launch = true\n').and.contain(`i2p.executable = ${executable}\n`);
    expect(cfg).to.not.contain('sam.port');
    const settings = await loadNodeConfig(nodeDir);
    expect(settings.anonymous).to.equal(true);
    expect(settings.i2p.launch).to.equal(true);
    expect(settings.i2p.executable).to.equal(executable);
    const keyFile = join(nodeDir, 'private', 'i2p_dest.privkey');
    const b32 = b32AddressOf(publicDestinationOf(await readPrivateKeyFile(keyFile)));
    expect(cfg).to.contain(`tub.location = i2p:${b32}:3457\n`);
    const left = (await createNodeRouters()).filter((pid) => !before.includes(pid));
    expect(left, 'i2pd processes left running').to.deep.equal([]);
  });

  it('fails clearly, writing nothing, when no SAM bridge answers', async () => {
    const port = await findFreePort();
    const nodeDir = join(dir, 'no-sam');
    const run = await lafs('create-node', '--listen=i2p', `--i2p-sam-port=tcp:127.0.0.1:${port}`, nodeDir);
    expect(run.code).to.not.equal(0);
    expect(run.stderr).to.contain(`no I2P SAM bridge answers at 127.0.0.1:${port}`);
    expect(await readdir(dir)).to.not.include('no-sam');
  });

  it('refuses --i2p-launch together with --i2p-sam-port, and a unix: SAM port', async () => {
    const both = await lafs(
      'create-node',
      '--listen=i2p',
      '--i2p-launch',
      '--i2p-sam-port=tcp:127.0.0.1:7656',
      join(dir, 'both'),
    );
    expect(both.code).to.not.equal(0);
    expect(both.stderr).to.contain('use either --i2p-launch or --i2p-sam-port, not both');
    const unix = await lafs('create-node', '--listen=i2p', '--i2p-sam-port=unix:/tmp/sam', join(dir, 'unix'));
    expect(unix.code).to.not.equal(0);
    expect(unix.stderr).to.contain('SAM bridges listen on TCP only');
  });
});
