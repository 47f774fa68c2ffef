import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { GbsClient } from '../../../src/storage/http/client.js';
import { formatNurl } from '../../../src/storage/http/nurl.js';
import { createGbsHandler } from '../../../src/storage/server/handler.js';
import { storageConformanceSuite } from './conformance-suite.js';

storageConformanceSuite('in-process handler', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lafs-gbs-inproc-'));
  const backend = await openDiskBackend({
    storageDir: join(dir, 'storage'),
    nodeId: new Uint8Array(20).fill(4),
  });
  const swissnum = 'inprocessswissnumabcdefghijklmno';
  const handler = createGbsHandler({ backend, swissnum });
  const nurl = formatNurl({ spkiHash: 'A'.repeat(43), host: '127.0.0.1', port: 1, swissnum });
  const client = new GbsClient({ nurl, transport: (request) => handler(request) });
  return {
    client,
    raw: handler,
    swissnum,
    backend,
    async close() {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
