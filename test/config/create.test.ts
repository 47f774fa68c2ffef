import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  builtinListenerPlugins,
  type CreateNodeOptions,
  createNodeDirectory,
  type ListenerPlugin,
  ListenerRegistry,
} from '../../src/config/create/index.js';
import { CreateNodeOptionsError, NodeDirNotEmptyError } from '../../src/config/errors.js';
import { loadNodeConfig } from '../../src/config/load.js';
import { readConvergenceSecret } from '../../src/config/node-files.js';
import { base32Encode } from '../../src/crypto/base32.js';
import { fixturesDir, tempDir } from './helpers.js';

const ONION = 'rcmqzftshazkmhdyd3yrknmtwkd3tlc27pa6greegv4azymunlbb2iid.onion';
const FURL =
  'pb://hckqqn4vq5ggzuukfztpuu4wykwefa6d@tcp:introducer.example.net:44801/fzylgo7nbcwaouq7dsmxaoovlirk3rrh';

async function create(
  options: Partial<CreateNodeOptions> & Pick<CreateNodeOptions, 'kind'>,
  listeners?: ListenerRegistry,
) {
  const nodeDir = join(await tempDir(), 'node');
  const created = await createNodeDirectory(
    { nodeDir, allocatePort: async () => 41275, ...options },
    listeners === undefined ? {} : { listeners },
  );
  return { nodeDir, created };
}

/** The `key` names of a tahoe.cfg, per section, including commented-out `#key =` lines, in order. */
function layout(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const section = /^\[(.+)\]$/.exec(line);
    if (section) out.push(`[${section[1]}]`);
    const key = /^#?([\w.-]+) ?=/.exec(line);
    if (key) out.push(key[1] ?? '');
  }
  return out;
}

function mode(info: { mode: number }): string {
  return (info.mode & 0o777).toString(8);
}

describe('config/create: node directories', () => {
  it('base32Encode writes lower-case unpadded RFC 4648 (Tahoe base32.b2a)', () => {
    const enc = (s: string) => base32Encode(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).to.deep.equal([
      '',
      'my',
      'mzxq',
      'mzxw6',
      'mzxw6yq',
      'mzxw6ytb',
      'mzxw6ytboi',
    ]);
  });

  it('create-node writes the same sections and keys as Tahoe-LAFS create-node, and loads', async () => {
    const { nodeDir, created } = await create({
      kind: 'node',
      hostname: 'storage.example.net',
      nickname: 'storage0',
      introducer: FURL,
    });
    const text = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    const tahoe = await readFile(join(fixturesDir, 'storage', 'tahoe.cfg'), 'utf8');
    expect(layout(text)).to.deep.equal(layout(tahoe));
    expect(text).to.contain('tub.port = tcp:41275\ntub.location = tcp:storage.example.net:41275\n');
    expect(created.nodeType).to.equal('client');
    const settings = await loadNodeConfig(nodeDir);
    expect(settings.storage?.enabled).to.equal(true);
    expect(settings.introducers.map((i) => i.furl)).to.deep.equal([FURL]);
    expect(settings.node.nickname).to.equal('storage0');
  });

  it('makes private/ 0700 and its secret files 0600, with a Tahoe-style convergence secret', async () => {
    const { nodeDir } = await create({ kind: 'node', hostname: 'h.example', introducer: FURL });
    expect(mode(await stat(join(nodeDir, 'private')))).to.equal('700');
    for (const name of ['convergence', 'introducers.yaml']) {
      expect(mode(await stat(join(nodeDir, 'private', name))), name).to.equal('600');
    }
    const secret = await readFile(join(nodeDir, 'private', 'convergence'), 'utf8');
    expect(secret).to.match(/^[a-z2-7]{52}\n$/);
    const settings = await loadNodeConfig(nodeDir);
    expect(await readConvergenceSecret(settings.paths)).to.have.length(32);
    await writeFile(settings.paths.convergenceFile, '');
    expect(await readConvergenceSecret(settings.paths)).to.have.length(0);
    await writeFile(settings.paths.convergenceFile, 'not base32!\n');
    const bad = await readConvergenceSecret(settings.paths).catch((e: unknown) => e);
    expect(bad).to.have.property('code', 'ERR_CONFIG_FILE');
    expect((bad as Error).message).to.not.contain('base32!');
    const other = await create({ kind: 'client' });
    expect(await readFile(join(other.nodeDir, 'private', 'convergence'), 'utf8')).to.not.equal(secret);
    expect((await readdir(nodeDir)).sort()).to.deep.equal(['private', 'tahoe-client.tac', 'tahoe.cfg']);
  });

  it('create-client writes a non-listening client without storage, matching Tahoe create-client', async () => {
    const { nodeDir, created } = await create({ kind: 'client', nickname: 'alice', introducer: FURL });
    const text = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    expect(layout(text)).to.deep.equal(
      layout(await readFile(join(fixturesDir, 'client', 'tahoe.cfg'), 'utf8')),
    );
    const s = await loadNodeConfig(nodeDir);
    expect(s.node.tubPort.kind).to.equal('disabled');
    expect(s.storage?.enabled).to.equal(false);
    expect(created.notes).to.deep.equal([]);
  });

  it('create-introducer writes only the node sections and no convergence secret', async () => {
    const { nodeDir } = await create({ kind: 'introducer', hostname: 'intro.example.net' });
    expect(layout(await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8'))).to.deep.equal(
      layout(await readFile(join(fixturesDir, 'introducer', 'tahoe.cfg'), 'utf8')),
    );
    expect((await readdir(nodeDir)).sort()).to.deep.equal(['private', 'tahoe-introducer.tac', 'tahoe.cfg']);
    const s = await loadNodeConfig(nodeDir);
    expect(s.nodeType).to.equal('introducer');
    expect(s.node.webPort).to.equal(undefined);
  });

  it('honours --webport none, --no-storage, --helper, --storage-dir and the share options', async () => {
    const { nodeDir } = await create({
      kind: 'node',
      hostname: 'h.example',
      webport: 'none',
      noStorage: true,
      helper: true,
      storageDir: '/srv/shares',
      sharesNeeded: 2,
      sharesHappy: 3,
      sharesTotal: 4,
    });
    const s = await loadNodeConfig(nodeDir);
    expect(s.node.webPort).to.equal(undefined);
    expect(s.storage).to.include({ enabled: false, storageDir: '/srv/shares' });
    expect(s.helper?.enabled).to.equal(true);
    expect(s.client).to.include({ sharesNeeded: 2, sharesHappy: 3, sharesTotal: 4 });
  });

  it('escapes % so the nickname reads back unchanged', async () => {
    const { nodeDir } = await create({ kind: 'client', nickname: '100% mine' });
    expect((await loadNodeConfig(nodeDir)).node.nickname).to.equal('100% mine');
  });

  it('--hide-ip client: anonymous, tcp = tor, loads', async () => {
    const { nodeDir } = await create({ kind: 'client', hideIp: true });
    const text = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    expect(text).to.contain('[connections]\ntcp = tor\n');
    expect(text).to.contain('reveal-IP-address = false');
    const s = await loadNodeConfig(nodeDir);
    expect(s.anonymous).to.equal(true);
    expect(s.connections).to.deep.equal({ tcp: 'tor', tcpSource: 'config' });
  });

  it('--hide-ip with a loopback --port and an onion --location loads as anonymous', async () => {
    const { nodeDir } = await create({
      kind: 'node',
      hideIp: true,
      port: 'tcp:39835:interface=127.0.0.1',
      location: `tor:${ONION}:3457`,
    });
    expect((await loadNodeConfig(nodeDir)).anonymous).to.equal(true);
  });

  it('lets a listener plugin add tub.port, tub.location, a section and a private key', async () => {
    const fakeTor: ListenerPlugin = {
      name: 'tor',
      hidesIp: true,
      cliOptions: { 'tor-control-port': { type: 'string', describe: 'control port' } },
      validate: (o) =>
        o.listenerOptions?.['tor-control-port'] === undefined
          ? ['--listen=tor needs --tor-control-port']
          : [],
      createConfig: async (o) => ({
        tubPorts: ['tcp:39835:interface=127.0.0.1'],
        tubLocations: [`tor:${ONION}:3457`],
        sections: {
          tor: [
            ['control.port', String(o.listenerOptions?.['tor-control-port'])],
            ['onion', 'true'],
            ['onion.local_port', '39835'],
            ['onion.external_port', '3457'],
            ['onion.private_key_file', 'private/tor_onion.privkey'],
          ],
        },
        privateFiles: { 'tor_onion.privkey': 'ED25519-V3:secret' },
      }),
    };
    const registry = new ListenerRegistry([...builtinListenerPlugins, fakeTor]);
    await create({ kind: 'node', hideIp: true, listen: ['tor'] }, registry).then(
      () => expect.fail('should refuse'),
      (e: unknown) => expect((e as Error).message).to.contain('--tor-control-port'),
    );
    const { nodeDir } = await create(
      {
        kind: 'node',
        hideIp: true,
        listen: ['tor'],
        listenerOptions: { 'tor-control-port': 'tcp:127.0.0.1:9051' },
      },
      registry,
    );
    const text = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    expect(layout(text)).to.deep.equal(
      layout(await readFile(join(fixturesDir, 'tor-hidden', 'tahoe.cfg'), 'utf8')),
    );
    expect(mode(await stat(join(nodeDir, 'private', 'tor_onion.privkey')))).to.equal('600');
    const s = await loadNodeConfig(nodeDir);
    expect(s.tor.onion?.privateKeyFile).to.equal(join(nodeDir, 'private', 'tor_onion.privkey'));
  });
});

describe('config/create: refusals (nothing is written)', () => {
  const refusals: [string, Partial<CreateNodeOptions> & Pick<CreateNodeOptions, 'kind'>, RegExp][] = [
    [
      '--hide-ip --listen=tcp',
      { kind: 'node', hideIp: true, hostname: 'h.example' },
      /--hide-ip cannot be used with --listen=tcp/,
    ],
    [
      '--hostname with --listen=none',
      { kind: 'node', listen: ['none'], noStorage: true, hostname: 'h' },
      /--hostname cannot be used with --listen=none/,
    ],
    ['--listen=tcp without --hostname', { kind: 'node' }, /requires --hostname/],
    ['--port without --location', { kind: 'node', port: 'tcp:1234' }, /--port must be used with --location/],
    [
      '--location without --port',
      { kind: 'node', location: 'tcp:h:1' },
      /--location must be used with --port/,
    ],
    [
      '--hostname with --port/--location',
      { kind: 'node', port: 'tcp:1', location: 'tcp:h.example:1', hostname: 'h' },
      /--hostname cannot be used with --port/,
    ],
    ['a storage server with --listen=none', { kind: 'node', listen: ['none'] }, /--no-storage/],
    [
      'an introducer with --listen=none',
      { kind: 'introducer', listen: ['none'] },
      /introducer must accept connections/,
    ],
    ['an unknown listener', { kind: 'node', listen: ['tpc'], hostname: 'h' }, /one or more of: none, tcp/],
    ['--listen=none,tcp', { kind: 'node', listen: ['none', 'tcp'], hostname: 'h' }, /cannot be combined/],
    [
      '--hide-ip with --webport on every interface',
      { kind: 'client', hideIp: true, webport: 'tcp:3456' },
      /\[node\] web\.port: .*interface=127\.0\.0\.1/,
    ],
    [
      '--hide-ip with a tcp: --location',
      { kind: 'node', hideIp: true, port: 'tcp:1:interface=127.0.0.1', location: 'tcp:h.example:1' },
      /tub\.location/,
    ],
    ['a bad --webport', { kind: 'client', webport: 'tcp:http' }, /\[node\] web\.port/],
    [
      'k > N',
      { kind: 'client', sharesNeeded: 5, sharesTotal: 4, sharesHappy: 3 },
      /shares\.needed \(5\) is larger/,
    ],
    [
      'a non-integer share count',
      { kind: 'client', sharesNeeded: Number.NaN },
      /--shares-needed must be an integer/,
    ],
    ['a multi-line nickname', { kind: 'client', nickname: 'a\nb' }, /one line/],
    [
      'a bad introducer FURL',
      { kind: 'client', introducer: 'http://example.org' },
      /--introducer must be a FURL/,
    ],
    ['create-client with --hostname', { kind: 'client', hostname: 'h' }, /create-client/],
  ];
  for (const [what, options, message] of refusals) {
    it(`refuses ${what}`, async () => {
      const parent = await tempDir();
      const nodeDir = join(parent, 'node');
      const error = await createNodeDirectory({ nodeDir, allocatePort: async () => 4000, ...options }).catch(
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(CreateNodeOptionsError);
      expect((error as Error).message).to.match(message);
      expect(await readdir(parent)).to.deep.equal([]);
    });
  }

  it('refuses a non-empty directory and leaves it untouched; accepts an empty one', async () => {
    const nodeDir = await tempDir();
    await writeFile(join(nodeDir, 'keep.txt'), 'mine');
    const error = await createNodeDirectory({ kind: 'client', nodeDir }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(NodeDirNotEmptyError);
    expect(await readdir(nodeDir)).to.deep.equal(['keep.txt']);
    const empty = join(nodeDir, 'empty');
    await mkdir(empty);
    await createNodeDirectory({ kind: 'client', nodeDir: empty });
    expect((await loadNodeConfig(empty)).nodeType).to.equal('client');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await createNodeDirectory(
      { kind: 'client', nodeDir: join(await tempDir(), 'n') },
      { signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(error).to.have.property('code', 'ERR_ABORTED');
  });
});
