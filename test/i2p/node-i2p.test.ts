/**
 * startNodeI2p against a scripted SAM bridge: configuration errors, a bridge that is not there, publishing a
 * destination (SESSION CREATE with the stored key, then a silent STREAM FORWARD to the local port),
 * re-publishing after the bridge dropped the session, and close.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  I2pConfigError,
  I2pdNotFoundError,
  I2pSamUnavailableError,
  SamDuplicatedDestError,
} from '../../src/i2p/errors.js';
import { findFreePort } from '../../src/i2p/i2pd-launcher.js';
import { writePrivateKeyFile } from '../../src/i2p/key-files.js';
import { type NodeI2p, samBridgeFromEndpoint, startNodeI2p } from '../../src/i2p/node-i2p.js';
import { i2pSettings } from '../support/overlay-settings.js';
import { repoRoot } from '../support/paths.js';
import { rejection } from '../support/rejection.js';
import { answerHello, type ScriptedBridge, scriptedBridge } from './support/scripted-bridge.js';

const vector = JSON.parse(
  await readFile(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as { destination: string; privateKey: string; b32: string };

describe('i2p/startNodeI2p (scripted SAM bridge)', () => {
  let dir: string;
  let bridge: ScriptedBridge | undefined;
  let node: NodeI2p | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-node-i2p-'));
  });
  afterEach(async () => {
    await node?.close();
    bridge?.close();
    node = undefined;
    bridge = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('maps sam.port to a bridge address; unix: is refused with I2pConfigError', () => {
    expect(samBridgeFromEndpoint(undefined)).to.deep.equal({ host: '127.0.0.1', port: 7656 });
    expect(samBridgeFromEndpoint({ kind: 'tcp', host: '::1', port: 7000 })).to.deep.equal({
      host: '::1',
      port: 7000,
    });
    expect(() => samBridgeFromEndpoint({ kind: 'unix', path: '/run/sam' }))
      .to.throw(I2pConfigError)
      .with.property('setting', '[i2p] sam.port');
  });

  it('refuses enabled = false', async () => {
    const error = await rejection(
      startNodeI2p({ settings: i2pSettings({ enabled: false }), privateDir: dir }),
    );
    expect(error).to.be.instanceOf(I2pConfigError);
  });

  it('says clearly that nothing answers at sam.port', async () => {
    const port = await findFreePort();
    const error = await rejection(
      startNodeI2p({
        settings: i2pSettings({ samPort: { kind: 'tcp', host: '127.0.0.1', port } }),
        privateDir: dir,
      }),
    );
    expect(error).to.be.instanceOf(I2pSamUnavailableError);
    expect(error.message).to.contain(`127.0.0.1:${port}`).and.contain('sam.port');
  });

  it('reports a missing i2pd executable with launch = true', async () => {
    const error = await rejection(
      startNodeI2p({
        settings: i2pSettings({ launch: true, executable: join(dir, 'no-such-i2pd') }),
        privateDir: dir,
        launchMode: 'isolated',
      }),
    );
    expect(error).to.be.instanceOf(I2pdNotFoundError);
  });

  it('publishes the stored key with a silent FORWARD to the local port, again after an outage', async () => {
    const controls: Socket[] = [];
    const forwards: string[] = [];
    bridge = await scriptedBridge(async (socket, lines) => {
      await answerHello(socket, lines);
      const line = (await lines.next()).value as string;
      if (line.startsWith('SESSION CREATE')) {
        controls.push(socket);
        socket.write(`SESSION STATUS RESULT=OK DESTINATION=${vector.privateKey}\n`);
      } else if (line.startsWith('STREAM FORWARD')) {
        forwards.push(line);
        socket.write('STREAM STATUS RESULT=OK\n');
      }
    });
    const keyFile = join(dir, 'i2p_dest.privkey');
    await writePrivateKeyFile(keyFile, vector.privateKey);
    const logs: string[] = [];
    node = await startNodeI2p({
      settings: i2pSettings({ samPort: { kind: 'tcp', host: '127.0.0.1', port: bridge.port } }),
      privateDir: dir,
      prepareOutgoing: false,
      sessionOptions: { 'inbound.length': 0 },
      onLog: (message) => logs.push(message),
    });
    expect(node.router).to.equal(undefined);
    const published = await node.publishDestination({ port: 3457, privateKeyFile: keyFile }, 4321);
    expect(published.address).to.equal(vector.b32);
    const create = bridge.received.find((l) => l.startsWith('SESSION CREATE'))!;
    expect(create).to.contain(`DESTINATION=${vector.privateKey}`).and.contain('inbound.length=0');
    expect(create).to.not.contain('SIGNATURE_TYPE');
    expect(forwards).to.have.length(1);
    expect(forwards[0]).to.match(/^STREAM FORWARD ID=\S+ PORT=4321 HOST=127\.0\.0\.1 SILENT=true$/);

    controls[0]!.destroy(); // the bridge drops the session: it is published again after ~1 s
    for (let i = 0; i < 100 && forwards.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(forwards).to.have.length(2);
    expect(logs.some((l) => l.includes('published again'))).to.equal(true);
    expect(logs.join('\n')).to.not.contain(vector.privateKey);

    const first = node.close();
    expect(node.close()).to.equal(first);
    await first;
    await rejection(node.publishDestination({ port: 3457, privateKeyFile: keyFile }, 4321));
  });

  it('refuses a local port outside 1-65535 before touching the key or the bridge', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await answerHello(socket, lines);
    });
    node = await startNodeI2p({
      settings: i2pSettings({ samPort: { kind: 'tcp', host: '127.0.0.1', port: bridge.port } }),
      privateDir: dir,
      prepareOutgoing: false,
    });
    const dest = { port: 3457, privateKeyFile: join(dir, 'absent.privkey') };
    for (const port of [0, 65536, 1.5]) {
      const error = await rejection(node.publishDestination(dest, port));
      expect(error, String(port)).to.be.instanceOf(RangeError);
      expect(error.message).to.equal(`publishDestination: localPort must be a TCP port 1-65535, got ${port}`);
    }
    expect(bridge.received.some((line) => line.startsWith('SESSION CREATE'))).to.equal(false);
  });

  it('passes DUPLICATED_DEST through when the destination is already published', async () => {
    bridge = await scriptedBridge(async (socket, lines) => {
      await answerHello(socket, lines);
      await lines.next();
      socket.write('SESSION STATUS RESULT=DUPLICATED_DEST\n');
    });
    const keyFile = join(dir, 'i2p_dest.privkey');
    await writePrivateKeyFile(keyFile, vector.privateKey);
    node = await startNodeI2p({
      settings: i2pSettings({ samPort: { kind: 'tcp', host: '127.0.0.1', port: bridge.port } }),
      privateDir: dir,
      prepareOutgoing: false,
    });
    const error = await rejection(node.publishDestination({ port: 3457, privateKeyFile: keyFile }, 4321));
    expect(error).to.be.instanceOf(SamDuplicatedDestError);
  });
});
