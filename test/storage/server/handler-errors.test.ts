import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { CorruptContainerError } from '../../../src/storage/backend/errors.js';
import { bucketDir } from '../../../src/storage/backend/storage-index.js';
import { authorizationHeader } from '../../../src/storage/http/headers.js';
import { createGbsHandler } from '../../../src/storage/server/handler.js';

describe('GBS handler: damaged storage', () => {
  it('answers 500 for a corrupt container on disk, reports the cause, and keeps serving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-handler-'));
    try {
      const backend = await openDiskBackend({ storageDir: dir, nodeId: new Uint8Array(20) });
      const si = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';
      await mkdir(bucketDir(dir, si), { recursive: true });
      await writeFile(join(bucketDir(dir, si), '0'), 'this is not a share container');
      const seen: unknown[] = [];
      const handler = createGbsHandler({ backend, swissnum: 'sw', onInternalError: (e) => seen.push(e) });
      const headers = { authorization: authorizationHeader('sw') };
      const read = await handler({ method: 'GET', path: `/storage/v1/immutable/${si}/0`, headers, body: [] });
      expect(read.status).to.equal(500);
      expect(seen).to.have.length(1);
      expect(seen[0]).to.be.instanceOf(CorruptContainerError);
      const version = await handler({ method: 'GET', path: '/storage/v1/version', headers, body: [] });
      expect(version.status).to.equal(200);
      await backend.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
