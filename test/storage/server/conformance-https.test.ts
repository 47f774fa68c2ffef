import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GbsClient } from '../../../src/storage/http/client.js';
import { createHttpsTransport } from '../../../src/storage/http/https-transport.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import { startStorageServer } from '../../../src/storage/server/start.js';
import { storageConformanceSuite } from './conformance-suite.js';

storageConformanceSuite('HTTPS on 127.0.0.1', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lafs-gbs-https-'));
  const server = await startStorageServer({
    storageDir: join(dir, 'storage'),
    privateDir: join(dir, 'private'),
    listen: { host: '127.0.0.1', port: 0 },
  });
  const nurl = parseNurl(server.nurl);
  const client = new GbsClient({ nurl: server.nurl });
  const raw = createHttpsTransport({ nurl });
  return {
    client,
    raw: (request) => raw.send(request),
    swissnum: nurl.swissnum,
    backend: server.backend,
    async close() {
      client.close();
      raw.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
