import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createNodeDirectory } from '../../../src/config/create/node-dir.js';
import { loadNodeConfig } from '../../../src/config/load.js';
import { openTubListener } from '../../../src/node/run/tub-listener.js';
import { makeTempDir } from '../../support/temp-dirs.js';

describe('node/run: tub.port listeners', () => {
  it('with tub.port unset, a remembered port out of range in client.port is replaced by a new one', async () => {
    const nodeDir = join(makeTempDir('lafs-tub-'), 'n');
    await createNodeDirectory({ kind: 'node', nodeDir, webport: 'none', hostname: '127.0.0.1' });
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    await writeFile(
      join(nodeDir, 'tahoe.cfg'),
      cfg.replace(/^tub\.port = .*\n/m, '').replace(/^tub\.location = .*$/m, 'tub.location = AUTO'),
    );
    const settings = await loadNodeConfig(nodeDir);
    expect(settings.node.tubPort.kind).to.equal('unset');
    const portFile = join(nodeDir, 'client.port');
    for (const damaged of ['tcp:70000\n', 'tcp:0\n']) {
      await writeFile(portFile, damaged);
      const tub = await openTubListener(settings);
      try {
        expect(tub?.tcpPort, damaged).to.be.within(1, 65535);
        expect(await readFile(portFile, 'utf8')).to.equal(`tcp:${tub?.tcpPort}\n`);
      } finally {
        await tub?.close();
      }
    }
  });
});
