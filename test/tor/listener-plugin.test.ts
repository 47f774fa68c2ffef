import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { builtinListenerPlugins, ListenerRegistry } from '../../src/config/create/listeners.js';
import { createNodeDirectory } from '../../src/config/create/node-dir.js';
import type { CreateNodeOptions } from '../../src/config/create/options.js';
import { CreateNodeOptionsError } from '../../src/config/errors.js';
import { loadNodeConfig } from '../../src/config/load.js';
import { TorControlPortUnavailableError } from '../../src/tor/errors.js';
import { torListener } from '../../src/tor/listener-plugin.js';
import { serviceIdFromPrivateKey } from '../../src/tor/onion-address.js';
import { readOnionKeyFile } from '../../src/tor/onion-key-file.js';
import { cliPath } from '../support/paths.js';
import { makeTempDir } from '../support/temp-dirs.js';

const registry = () => new ListenerRegistry([...builtinListenerPlugins, torListener]);

function nodeOptions(nodeDir: string, listenerOptions: Record<string, unknown>): CreateNodeOptions {
  return {
    kind: 'node',
    nodeDir,
    nickname: 'onion-node',
    listen: ['tor'],
    hideIp: true,
    listenerOptions,
    allocatePort: async () => 39835,
  };
}

/** The onion id published in tub.location, checked against the stored key. */
async function checkKeyMatchesLocation(dir: string): Promise<string> {
  const cfg = await readFile(join(dir, 'tahoe.cfg'), 'utf8');
  const id = /^tub\.location = tor:([a-z2-7]{56})\.onion:3457$/m.exec(cfg)?.[1];
  expect(id, cfg).to.be.a('string');
  const keyFile = join(dir, 'private', 'tor_onion.privkey');
  expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
  expect(serviceIdFromPrivateKey(await readOnionKeyFile(keyFile))).to.equal(id);
  return id!;
}

describe('tor/listener-plugin: create-node --listen=tor', () => {
  let parent: string;
  before(async () => {
    parent = makeTempDir('lafs-tor-listener-');
  });

  it('--tor-launch writes the [tor] keys Tahoe writes and a 0600 key matching tub.location', async () => {
    const dir = join(parent, 'launch');
    await createNodeDirectory(nodeOptions(dir, { 'tor-launch': true, 'tor-executable': '/usr/sbin/tor' }), {
      listeners: registry(),
    });
    const cfg = await readFile(join(dir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.contain('tub.port = tcp:39835:interface=127.0.0.1\n');
    expect(cfg).to.contain(
      '[tor]\nlaunch = true\ntor.executable = /usr/sbin/tor\nonion = true\nonion.local_port = 39835\n' +
        'onion.external_port = 3457\nonion.private_key_file = private/tor_onion.privkey\n',
    );
    const id = await checkKeyMatchesLocation(dir);
    const settings = await loadNodeConfig(dir);
    expect(settings.anonymous).to.equal(true);
    expect(settings.tor.launch).to.equal(true);
    expect(settings.tor.executable).to.equal('/usr/sbin/tor');
    expect(settings.tor.onion).to.deep.include({
      localPort: 39835,
      externalPort: 3457,
      privateKeyFile: join(dir, 'private', 'tor_onion.privkey'),
    });
    const location = settings.node.tubLocation;
    expect(location.kind === 'items' && location.items[0]).to.deep.include({ type: 'hint' });
    expect(
      location.kind === 'items' && location.items[0]?.type === 'hint' && location.items[0].hint,
    ).to.deep.include({ scheme: 'tor', host: `${id}.onion`, port: 3457 });
  });

  it('--tor-control-port is written as given, without contacting tor', async () => {
    const dir = join(parent, 'control');
    await createNodeDirectory(nodeOptions(dir, { 'tor-control-port': 'unix:/nonexistent/tor/control' }), {
      listeners: registry(),
    });
    const cfg = await readFile(join(dir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.contain('[tor]\ncontrol.port = unix:/nonexistent/tor/control\nonion = true\n');
    await checkKeyMatchesLocation(dir);
    const settings = await loadNodeConfig(dir);
    expect(settings.tor.controlPort).to.deep.equal({ kind: 'unix', path: '/nonexistent/tor/control' });
    expect(settings.anonymous).to.equal(true);
  });

  it('mints a different onion address for every node', async () => {
    const a = join(parent, 'a');
    const b = join(parent, 'b');
    for (const dir of [a, b])
      await createNodeDirectory(nodeOptions(dir, { 'tor-launch': true }), { listeners: registry() });
    expect(await checkKeyMatchesLocation(a)).to.not.equal(await checkKeyMatchesLocation(b));
  });

  it('refuses contradictory or malformed options before writing anything', () => {
    const problems = (o: Record<string, unknown>) => torListener.validate(nodeOptions('/x', o));
    expect(problems({ 'tor-launch': true, 'tor-control-port': 'tcp:127.0.0.1:9051' })).to.deep.equal([
      'use either --tor-launch or --tor-control-port=, not both',
    ]);
    expect(problems({ 'tor-control-port': 'tcp:127.0.0.1' })[0]).to.match(/--tor-control-port: .*port/);
    expect(problems({ 'tor-control-port': 'http://x' })[0]).to.match(/not a client endpoint/);
    expect(problems({ 'tor-executable': 'tor' })).to.deep.equal([
      '--tor-executable is only used with --tor-launch',
    ]);
    expect(problems({ 'tor-launch': true })).to.deep.equal([]);
  });

  it('rejects bad options through createNodeDirectory as CreateNodeOptionsError', async () => {
    const dir = join(parent, 'bad');
    const error = await createNodeDirectory(
      nodeOptions(dir, { 'tor-launch': true, 'tor-control-port': '9051' }),
      { listeners: registry() },
    ).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(CreateNodeOptionsError);
  });

  it('without --tor-launch or --tor-control-port, probes the default control ports', async () => {
    const dir = join(parent, 'probe');
    const result = await createNodeDirectory(nodeOptions(dir, {}), { listeners: registry() }).catch(
      (e: unknown) => e,
    );
    if (result instanceof Error) {
      // no system tor here: the error lists every place tried
      expect(result).to.be.instanceOf(TorControlPortUnavailableError);
      const tried = (result as TorControlPortUnavailableError).attempts.map((a) => a.descriptor);
      expect(tried).to.deep.equal(['unix:/var/run/tor/control', 'tcp:127.0.0.1:9051', 'tcp:127.0.0.1:9151']);
    } else {
      console.log('      (a system tor answered; its control port was recorded)');
      expect(await readFile(join(dir, 'tahoe.cfg'), 'utf8')).to.match(/^control\.port = (unix|tcp):/m);
    }
  });
});

describe('lafs create-node --listen=tor (CLI)', () => {
  it('--tor-launch --hide-ip makes an anonymous onion node that loadNodeConfig accepts', async function () {
    this.timeout(30_000);
    const dir = join(makeTempDir('lafs-tor-cli-'), 'node');
    const started = Date.now();
    const { stdout } = await promisify(execFile)(process.execPath, [
      cliPath,
      'create-node',
      '--listen=tor',
      '--tor-launch',
      '--hide-ip',
      '--nickname=hidden',
      dir,
    ]);
    const elapsed = Date.now() - started;
    expect(stdout).to.contain(`Node created in ${dir}`);
    console.log(`      create-node --listen=tor took ${elapsed} ms (process start included)`);
    const settings = await loadNodeConfig(dir);
    expect(settings.anonymous).to.equal(true);
    expect(settings.connections.tcp).to.equal('tor');
    expect(settings.tor.launch).to.equal(true);
    expect(settings.tor.onion?.externalPort).to.equal(3457);
    await checkKeyMatchesLocation(dir);
    const cfg = await readFile(join(dir, 'tahoe.cfg'), 'utf8');
    expect(cfg).to.match(/^tub\.port = tcp:\d+:interface=127\.0\.0\.1$/m);
    expect(cfg).to.match(/^reveal-IP-address = false$/m);
  });

  it('lists the tor options in --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cliPath, 'create-node', '--help']);
    for (const option of ['--tor-launch', '--tor-control-port', '--tor-executable'])
      expect(stdout).to.contain(option);
  });
});
