import { once } from 'node:events';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { GbsClient } from '../../../src/storage/http/client.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import { startStorageServer } from '../../../src/storage/server/start.js';

describe('startStorageServer', function () {
  this.timeout(20_000);

  it('serves connections handed over by an existing net.Server and announces the given onion host', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-listen-'));
    const listener = createServer();
    listener.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    const port = (listener.address() as AddressInfo).port;
    const onion = `${'c'.repeat(56)}.onion`;
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: listener,
      announce: [
        { host: onion, port: 3457 },
        { host: '127.0.0.1', port },
      ],
      nickname: 'hidden',
    });
    try {
      expect(server.nurls).to.have.length(2);
      expect(parseNurl(server.nurls[0]!)).to.include({ scheme: 'pb+tor', host: onion, port: 3457 });
      expect(server.announcement['anonymous-storage-FURL']).to.contain(
        `@tor:${onion}:3457,tcp:127.0.0.1:${port}/`,
      );
      expect(server.announcement.nickname).to.equal('hidden');
      const client = new GbsClient({ nurl: server.nurls[1]! });
      expect((await client.getVersion()).availableSpace).to.be.greaterThan(0);
      client.close();
      expect((await stat(join(dir, 'p', 'storage.swissnum'))).mode & 0o777).to.equal(0o600);
    } finally {
      await server.close();
      listener.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
