import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { ShareNotFoundError, ShareReaderClosedError } from '../../../src/storage/backend/errors.js';
import { rejection } from '../../support/rejection.js';
import { secret, useTempDir } from './temp-storage.js';

const si = new Uint8Array(16).fill(77);

describe('storage backend: share readers', () => {
  const dir = useTempDir('lafs-reader-');

  it('reads many ranges of an immutable share through one reader, truncated at the end, and refuses use after close', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId: new Uint8Array(20) });
    const share = randomBytes(5000);
    await backend.allocateBuckets(si, {
      renewSecret: secret(1),
      cancelSecret: secret(2),
      uploadSecret: secret(3),
      shareNumbers: [2],
      allocatedSize: share.length,
    });
    await backend.writeImmutable(si, 2, secret(3), 0, share.length, [share]);
    const reader = await backend.openImmutableReader(si, 2);
    expect(reader.length).to.equal(5000);
    expect(Buffer.from(await reader.read(0, 10)).equals(share.subarray(0, 10))).to.equal(true);
    expect(Buffer.from(await reader.read(4990, 100)).equals(share.subarray(4990))).to.equal(true);
    expect((await reader.read(6000, 10)).length).to.equal(0);
    expect(await rejection(reader.read(-1, 10))).to.be.instanceOf(RangeError);
    await reader.close();
    await reader.close();
    expect(await rejection(reader.read(0, 1))).to.be.instanceOf(ShareReaderClosedError);
    // A mutable reader does not open an immutable share, nor a missing one.
    expect(await rejection(backend.openMutableReader(si, 2))).to.be.instanceOf(ShareNotFoundError);
    expect(await rejection(backend.openImmutableReader(si, 3))).to.be.instanceOf(ShareNotFoundError);
    await backend.close();
  });

  it('reads a mutable share through a reader with the length it had when opened', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId: new Uint8Array(20) });
    const data = randomBytes(300);
    const result = await backend.readTestWrite(si, {
      writeEnabler: secret(4),
      renewSecret: secret(1),
      cancelSecret: secret(2),
      testWriteVectors: new Map([[0, { test: [], write: [{ offset: 0, data }], newLength: null }]]),
      readVector: [],
    });
    expect(result.success).to.equal(true);
    const reader = await backend.openMutableReader(si, 0);
    try {
      // The share grows while the reader is open; the reader keeps the length it was opened with.
      const grown = await backend.readTestWrite(si, {
        writeEnabler: secret(4),
        renewSecret: secret(1),
        cancelSecret: secret(2),
        testWriteVectors: new Map([[0, { test: [], write: [{ offset: 300, data }], newLength: null }]]),
        readVector: [],
      });
      expect(grown.success).to.equal(true);
      expect(await backend.mutableShareLength(si, 0)).to.equal(600);
      expect(reader.length).to.equal(300);
      expect((await reader.read(0, 1000)).length).to.equal(300);
      expect(Buffer.from(await reader.read(100, 1000)).equals(data.subarray(100))).to.equal(true);
    } finally {
      await reader.close();
    }
    expect(await rejection(backend.openImmutableReader(si, 0))).to.be.instanceOf(ShareNotFoundError);
    await backend.close();
  });
});
