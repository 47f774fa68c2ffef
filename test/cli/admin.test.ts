import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { allocateTcpPort } from '../../src/config/create/listeners.js';
import { loadNodeConfig } from '../../src/config/load.js';
import { base32Encode } from '../../src/crypto/base32.js';
import { parseServersYaml } from '../../src/storage/client/servers-yaml.js';
import { GbsClient } from '../../src/storage/http/client.js';
import { parseNurl } from '../../src/storage/http/nurl.js';
import { certificateSpkiHash } from '../../src/storage/http/spki.js';
import { announcedAddresses, loadStorageIdentity } from '../../src/storage/server/identity.js';
import { startStorageServer } from '../../src/storage/server/start.js';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function lafs(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const ONION = 'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion';
const I2P = 'ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p';

describe('lafs admin storage-announcement', function () {
  this.timeout(60_000);
  let root: string;
  let count = 0;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'lafs-admin-'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  /** A client node directory with this tahoe.cfg text. */
  async function nodeDir(cfg: string, marker = 'tahoe-client.tac'): Promise<string> {
    const dir = join(root, `node${count++}`);
    await mkdir(join(dir, 'private'), { recursive: true, mode: 0o700 });
    await writeFile(join(dir, marker), '# lafs\n');
    await writeFile(join(dir, 'tahoe.cfg'), cfg);
    return dir;
  }

  it('prints a servers.yaml entry that our parser reads back, with NURLs pinned to the TLS key', async () => {
    const dir = await nodeDir(
      '[node]\nnickname = alpha\ntub.port = tcp:41234\ntub.location = tcp:storage.example.net:41234\n',
    );
    const out = await lafs('admin', 'storage-announcement', dir);
    expect(out.code, out.stderr).to.equal(0);
    expect(out.stderr).to.include('storage-tls.key.pem');
    const [server, ...others] = parseServersYaml(out.stdout, 'output');
    expect(others).to.have.length(0);
    const pubkey = (await readFile(join(dir, 'node.pubkey'), 'utf8')).trim();
    expect(server?.serverId).to.equal(pubkey.replace(/^pub-/, ''));
    expect(server?.nickname).to.equal('alpha');
    expect(server?.nurls).to.have.length(1);
    const nurl = parseNurl(server?.nurls[0] ?? '');
    const certPem = await readFile(join(dir, 'private', 'storage-tls.cert.pem'), 'utf8');
    const cert = new X509Certificate(certPem);
    expect(nurl).to.deep.include({ scheme: 'pb', host: 'storage.example.net', port: 41234 });
    expect(nurl.spkiHash).to.equal(certificateSpkiHash(cert));
    expect(nurl.swissnum).to.equal((await readFile(join(dir, 'private', 'storage.swissnum'), 'utf8')).trim());
    // Tahoe derives lease secrets from the fURL's tub id: SHA-1 of the certificate, as the server's node id.
    const identity = await loadStorageIdentity(join(dir, 'private'), { create: false });
    expect(base32Encode(server?.leaseSeed ?? new Uint8Array())).to.equal(base32Encode(identity.nodeId));
    const ann = (parseYaml(out.stdout) as { storage: Record<string, { ann: Record<string, unknown> }> })
      .storage[server?.serverId ?? '']?.ann;
    expect(ann?.['anonymous-storage-FURL']).to.equal(
      `pb://${base32Encode(identity.nodeId)}@tcp:storage.example.net:41234/${nurl.swissnum}`,
    );
    expect(ann?.['permutation-seed-base32']).to.equal(identity.permutationSeedBase32);
  });

  it('prints the same document with --json, and the same again on a second run (stable identity)', async () => {
    const dir = await nodeDir('[node]\ntub.port = tcp:41235\ntub.location = tcp:10.1.2.3:41235\n');
    const yamlOut = await lafs('admin', 'storage-announcement', dir);
    const jsonOut = await lafs('admin', 'storage-announcement', '--json', '-C', dir);
    expect(jsonOut.code).to.equal(0);
    expect(jsonOut.stderr).to.equal('');
    expect(JSON.parse(jsonOut.stdout)).to.deep.equal(parseYaml(yamlOut.stdout));
  });

  it('YAML output reads the same with PyYAML, as Tahoe loads servers.yaml', async function () {
    const probe = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      console.log('      (skipped: python3 with PyYAML is not available)');
      this.skip();
    }
    const dir = await nodeDir(
      `[node]\nnickname = b: "c" #d\ntub.port = tcp:41236\ntub.location = tor:${ONION}:3457\n`,
    );
    const yamlOut = await lafs('admin', 'storage-announcement', dir);
    const py = spawnSync(
      'python3',
      ['-c', 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
      { input: yamlOut.stdout, encoding: 'utf8' },
    );
    expect(py.status, py.stderr).to.equal(0);
    expect(JSON.parse(py.stdout)).to.deep.equal(parseYaml(yamlOut.stdout));
    const ann = Object.values(
      (JSON.parse(py.stdout) as { storage: Record<string, { ann: { nickname: string } }> }).storage,
    )[0]?.ann;
    expect(ann?.nickname).to.equal('b: "c" #d');
  });

  it('announces pb+tor NURLs for onion locations and pb+i2p for I2P, with matching fURL hints', async () => {
    const dir = await nodeDir(
      '[node]\nreveal-IP-address = false\ntub.port = tcp:41237:interface=127.0.0.1\n' +
        `tub.location = tor:${ONION}:3457,i2p:${I2P}\n[connections]\ntcp = tor\n`,
    );
    const out = await lafs('admin', 'storage-announcement', '--json', dir);
    expect(out.code, out.stderr).to.equal(0);
    const doc = JSON.parse(out.stdout) as { storage: Record<string, { ann: Record<string, unknown> }> };
    const ann = Object.values(doc.storage)[0]?.ann ?? {};
    const nurls = (ann['anonymous-storage-NURLs'] as string[]).map(parseNurl);
    expect(nurls.map((n) => [n.scheme, n.host, n.port])).to.deep.equal([
      ['pb+tor', ONION, 3457],
      ['pb+i2p', I2P, undefined],
    ]);
    expect(ann['anonymous-storage-FURL']).to.match(
      new RegExp(`^pb://[a-z2-7]{32}@tor:${ONION}:3457,i2p:${I2P}/[a-z2-7]+$`),
    );
  });

  it('announces NURLs that reach the server as lafs run starts it (same identity and addresses)', async () => {
    const port = await allocateTcpPort();
    const dir = await nodeDir(
      `[node]\nnickname = live\ntub.port = tcp:${port}:interface=127.0.0.1\ntub.location = tcp:127.0.0.1:${port}\n`,
    );
    const out = await lafs('admin', 'storage-announcement', dir);
    expect(out.code, out.stderr).to.equal(0);
    const [info] = parseServersYaml(out.stdout, 'output');
    const settings = await loadNodeConfig(dir);
    const server = await startStorageServer({
      storageDir: join(dir, 'storage'),
      privateDir: settings.paths.privateDir,
      identity: await loadStorageIdentity(settings.paths.privateDir, { create: false }),
      listen: { host: '127.0.0.1', port },
      announce: announcedAddresses(settings, { listenPort: port }),
      crawler: false,
    });
    const client = new GbsClient({ nurl: info?.nurls[0] ?? '' });
    try {
      expect(server.nurls).to.deep.equal(info?.nurls);
      const version = await client.getVersion();
      expect(version).to.be.an('object');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('expands AUTO with the port the node remembered in client.port', async () => {
    const dir = await nodeDir('[node]\n');
    await writeFile(join(dir, 'client.port'), 'tcp:41238\n');
    const out = await lafs('admin', 'storage-announcement', '--json', dir);
    expect(out.code, out.stderr).to.equal(0);
    const ann = Object.values(
      JSON.parse(out.stdout).storage as Record<string, { ann: Record<string, unknown> }>,
    )[0]?.ann;
    const nurls = ((ann?.['anonymous-storage-NURLs'] ?? []) as string[]).map(parseNurl);
    expect(nurls.map((n) => `${n.host}:${n.port}`)).to.include('127.0.0.1:41238');
  });

  it('exits 1 with a clear message when AUTO has no known port yet', async () => {
    const dir = await nodeDir('[node]\n');
    const out = await lafs('admin', 'storage-announcement', dir);
    expect(out.code).to.equal(1);
    expect(out.stderr).to.match(/tub\.location uses AUTO, which needs the TCP port/);
    expect(out.stdout).to.equal('');
  });

  it('--no-create refuses a node that never ran, naming the missing files, and creates nothing', async () => {
    const dir = await nodeDir('[node]\ntub.port = tcp:41239\ntub.location = tcp:example.org:41239\n');
    const out = await lafs('admin', 'storage-announcement', '--no-create', dir);
    expect(out.code).to.equal(1);
    expect(out.stderr).to.match(
      /no storage server identity yet.*storage-tls\.key\.pem.*storage\.swissnum.*node\.privkey/s,
    );
    expect(await readdir(join(dir, 'private'))).to.deep.equal([]);
  });

  it('exits 1 for a node without a storage server, an introducer, tub.location = disabled, or a bad config', async () => {
    const cases: [string, string, RegExp][] = [
      [
        '[storage]\nenabled = false\n',
        'tahoe-client.tac',
        /runs no storage server: \[storage\] enabled = false/,
      ],
      ['[node]\n', 'tahoe-introducer.tac', /runs no storage server: it is an introducer/],
      [
        '[node]\ntub.port = tcp:41240\ntub.location = UNREACHABLE\n',
        'tahoe-client.tac',
        /publishes no address \(UNREACHABLE\)/,
      ],
      ['[node]\ntub.prot = 1\n', 'tahoe-client.tac', /invalid node configuration.*did you mean "tub.port"/s],
    ];
    for (const [cfg, marker, message] of cases) {
      const out = await lafs('admin', 'storage-announcement', await nodeDir(cfg, marker));
      expect(out.code, cfg).to.equal(1);
      expect(out.stderr, cfg).to.match(message);
    }
  });

  it('exits 2 for usage errors', async () => {
    expect((await lafs('admin')).code).to.equal(2);
    expect((await lafs('admin', 'storage-announcement', '--frobnicate')).code).to.equal(2);
    expect((await lafs('admin', 'nonsense')).code).to.equal(2);
  });
});
