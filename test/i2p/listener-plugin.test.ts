/**
 * The `--listen=i2p` plugin against a scripted SAM bridge: option checks, the exact Tahoe [i2p] keys and key
 * file it produces from DEST GENERATE, and a node directory made with it that loads as anonymous.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { builtinListenerPlugins, ListenerRegistry } from '../../src/config/create/listeners.js';
import { createNodeDirectory } from '../../src/config/create/node-dir.js';
import type { CreateNodeOptions } from '../../src/config/create/options.js';
import { loadNodeConfig } from '../../src/config/load.js';
import { I2pSamUnavailableError } from '../../src/i2p/errors.js';
import { findFreePort } from '../../src/i2p/i2pd-launcher.js';
import { i2pListener } from '../../src/i2p/listener-plugin.js';
import { repoRoot } from '../support/paths.js';
import { answerHello, type ScriptedBridge, scriptedBridge } from './support/scripted-bridge.js';

const vector = JSON.parse(
  await readFile(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as { destination: string; privateKey: string; b32: string };

function options(
  listenerOptions: Record<string, unknown>,
  extra: Partial<CreateNodeOptions> = {},
): CreateNodeOptions {
  return { kind: 'node', nodeDir: '/nonexistent', listen: ['i2p'], listenerOptions, ...extra };
}

describe('i2p/i2pListener (create-node --listen=i2p)', () => {
  let bridge: ScriptedBridge | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    bridge?.close();
    bridge = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function destBridge(): Promise<ScriptedBridge> {
    bridge = await scriptedBridge(async (socket, lines) => {
      await answerHello(socket, lines);
      await lines.next();
      socket.write(`DEST REPLY PUB=${vector.destination} PRIV=${vector.privateKey}\n`);
    });
    return bridge;
  }

  it('hides the IP and checks its options', () => {
    expect(i2pListener).to.include({ name: 'i2p', hidesIp: true });
    expect(Object.keys(i2pListener.cliOptions)).to.deep.equal([
      'i2p-sam-port',
      'i2p-launch',
      'i2p-executable',
      'i2p-configdir',
    ]);
    expect(i2pListener.validate(options({}))).to.deep.equal([]);
    expect(
      i2pListener.validate(options({ 'i2p-launch': true, 'i2p-sam-port': 'tcp:127.0.0.1:7656' })),
    ).to.deep.equal(['use either --i2p-launch or --i2p-sam-port, not both']);
    expect(i2pListener.validate(options({ 'i2p-executable': '/usr/sbin/i2pd' }))).to.deep.equal([
      '--i2p-executable and --i2p-configdir need --i2p-launch',
    ]);
    expect(i2pListener.validate(options({ 'i2p-sam-port': 'tcp:127.0.0.1' }))[0]).to.match(
      /^--i2p-sam-port=tcp:127\.0\.0\.1: /,
    );
    expect(i2pListener.validate(options({ 'i2p-sam-port': 'unix:/run/sam' }))[0]).to.contain('TCP only');
  });

  it('writes Tahoe’s [i2p] keys, listen:i2p and i2p:<b32>:3457 from DEST GENERATE SIGNATURE_TYPE=7', async () => {
    const b = await destBridge();
    const sam = `tcp:127.0.0.1:${b.port}`;
    const config = await i2pListener.createConfig(options({ 'i2p-sam-port': sam }), {});
    expect(b.received).to.include('DEST GENERATE SIGNATURE_TYPE=7');
    expect(config).to.deep.equal({
      tubPorts: ['listen:i2p'],
      tubLocations: [`i2p:${vector.b32}:3457`],
      sections: {
        i2p: [
          ['sam.port', sam],
          ['dest', 'true'],
          ['dest.port', '3457'],
          ['dest.private_key_file', 'private/i2p_dest.privkey'],
        ],
      },
      privateFiles: { 'i2p_dest.privkey': `${vector.privateKey}\n` },
    });
  });

  it('makes a node directory that loads as anonymous with --hide-ip, key mode 0600', async () => {
    const b = await destBridge();
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2p-plugin-'));
    const nodeDir = join(dir, 'node');
    await createNodeDirectory(
      { ...options({ 'i2p-sam-port': `tcp:127.0.0.1:${b.port}` }), nodeDir, hideIp: true },
      { listeners: new ListenerRegistry([...builtinListenerPlugins, i2pListener]) },
    );
    const keyFile = join(nodeDir, 'private', 'i2p_dest.privkey');
    expect((await stat(keyFile)).mode & 0o777).to.equal(0o600);
    const settings = await loadNodeConfig(nodeDir);
    expect(settings.anonymous).to.equal(true);
    expect(settings.i2p.destination).to.deep.equal({ port: 3457, privateKeyFile: keyFile });
    expect(settings.node.tubLocation).to.include({ kind: 'items', raw: `i2p:${vector.b32}:3457` });
  });

  it('fails with I2pSamUnavailableError when no bridge answers', async () => {
    const port = await findFreePort();
    const error = await i2pListener
      .createConfig(options({ 'i2p-sam-port': `tcp:127.0.0.1:${port}` }), {})
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(I2pSamUnavailableError);
  });
});
