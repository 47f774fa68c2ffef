import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { base32Decode, base32Encode } from '../../../src/crypto/base32.js';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import {
  InvalidStorageIndexError,
  UploadNotFoundError,
  WriteLengthMismatchError,
  WriteOutOfBoundsError,
} from '../../../src/storage/backend/errors.js';
import { RangeSet } from '../../../src/storage/backend/range-set.js';
import {
  formatStorageIndex,
  incomingBucketDir,
  parseStorageIndex,
} from '../../../src/storage/backend/storage-index.js';
import { rejection } from '../../support/rejection.js';
import { secret, useTempDir } from './temp-storage.js';

const si = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
const nodeId = new Uint8Array(20).fill(1);

describe('storage backend on disk', () => {
  const dir = useTempDir('lafs-backend-');

  const alloc = { renewSecret: secret(1), cancelSecret: secret(2), uploadSecret: secret(3) };

  it('never lists an incomplete upload, and a restart (crash) discards it', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId });
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0, 1], allocatedSize: 100 });
    await backend.writeImmutable(si, 0, secret(3), 0, 60, [new Uint8Array(60).fill(1)]);
    await backend.writeImmutable(si, 1, secret(3), 0, 100, [new Uint8Array(100).fill(2)]);
    expect(await backend.listImmutable(si)).to.deep.equal([1]);
    expect(await rejection(backend.readImmutable(si, 0, 0, 1))).to.have.property(
      'code',
      'ERR_STORAGE_SHARE_NOT_FOUND',
    );
    const incoming = incomingBucketDir(dir(), formatStorageIndex(si));
    expect(await readdir(incoming)).to.deep.equal(['0']);
    // Simulate a crash: no close(); a new process opens the same directory.
    const restarted = await openDiskBackend({ storageDir: dir(), nodeId });
    expect(await restarted.listImmutable(si)).to.deep.equal([1]);
    expect(await readdir(join(dir(), 'shares', 'incoming'))).to.deep.equal([]);
    expect(
      await rejection(restarted.writeImmutable(si, 0, secret(3), 60, 40, [new Uint8Array(40)])),
    ).to.be.instanceOf(UploadNotFoundError);
    // The share can be uploaded again from scratch.
    expect(
      (await restarted.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: 100 })).allocated,
    ).to.deep.equal([0]);
    await backend.close();
    await restarted.close();
  });

  it('honours reserved_space: fewer shares are allocated when the disk is short', async () => {
    const backend = await openDiskBackend({
      storageDir: dir(),
      nodeId,
      reservedSpace: 1000,
      diskFreeSpace: async () => 1700,
    });
    expect((await backend.getVersion()).availableSpace).to.equal(700);
    const result = await backend.allocateBuckets(si, {
      ...alloc,
      shareNumbers: [0, 1, 2],
      allocatedSize: 300,
    });
    expect(result.allocated).to.deep.equal([0, 1]);
    // Space promised to uploads in progress is no longer available.
    expect((await backend.getVersion()).availableSpace).to.equal(100);
    const none = await openDiskBackend({
      storageDir: join(dir(), 'other'),
      nodeId,
      reservedSpace: 5000,
      diskFreeSpace: async () => 1700,
    });
    expect(
      (await none.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: 1 })).allocated,
    ).to.deep.equal([]);
    await backend.close();
    await none.close();
  });

  it('refuses shares above the maximum size and writes beyond the allocation or the announced length', async () => {
    const backend = await openDiskBackend({
      storageDir: dir(),
      nodeId,
      maxImmutableShareSize: 50,
      maxMutableShareSize: 64,
    });
    expect(
      (await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: 51 })).allocated,
    ).to.deep.equal([]);
    expect(
      (await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: 50 })).allocated,
    ).to.deep.equal([0]);
    expect(
      await rejection(backend.writeImmutable(si, 0, secret(3), 40, 20, [new Uint8Array(20)])),
    ).to.be.instanceOf(WriteOutOfBoundsError);
    expect(
      await rejection(backend.writeImmutable(si, 0, secret(3), 0, 10, [new Uint8Array(11)])),
    ).to.be.instanceOf(WriteLengthMismatchError);
    expect(
      await rejection(backend.writeImmutable(si, 0, secret(3), 0, 10, [new Uint8Array(9)])),
    ).to.be.instanceOf(WriteLengthMismatchError);
    const tooBig = await rejection(
      backend.readTestWrite(si, {
        writeEnabler: secret(4),
        renewSecret: secret(1),
        cancelSecret: secret(2),
        testWriteVectors: new Map([
          [0, { test: [], write: [{ offset: 60, data: new Uint8Array(10) }], newLength: null }],
        ]),
        readVector: [],
      }),
    );
    expect(tooBig).to.be.instanceOf(WriteOutOfBoundsError);
    expect(await backend.listMutable(si)).to.deep.equal([]);
    await backend.close();
  });

  it('aborts idle uploads after the idle timeout', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId, uploadIdleTimeoutMs: 20 });
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: 10 });
    // Wait (bounded) for the timer to fire: it removes the incoming file. No timing is asserted.
    const incoming = join(dir(), 'shares', 'incoming');
    for (let i = 0; i < 500 && (await readdir(incoming)).length > 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(await readdir(incoming)).to.deep.equal([]);
    expect(
      await rejection(backend.writeImmutable(si, 0, secret(3), 0, 10, [new Uint8Array(10)])),
    ).to.be.instanceOf(UploadNotFoundError);
    await backend.close();
  });

  it('lets shares of one storage index upload in parallel while another share body is still arriving', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId });
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0, 1], allocatedSize: 8 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      yield new Uint8Array(4).fill(1);
      await gate;
      yield new Uint8Array(4).fill(2);
    }
    const pending = backend.writeImmutable(si, 0, secret(3), 0, 8, slow());
    const other = await backend.writeImmutable(si, 1, secret(3), 0, 8, [new Uint8Array(8).fill(3)]);
    expect(other.complete).to.equal(true);
    expect(await backend.listImmutable(si)).to.deep.equal([1]);
    release();
    expect((await pending).complete).to.equal(true);
    expect(await backend.listImmutable(si)).to.deep.equal([0, 1]);
    expect([...(await backend.readImmutable(si, 0, 2, 4))]).to.deep.equal([1, 1, 2, 2]);
    await backend.close();
  });

  it('streams large writes chunk by chunk into the container', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId });
    const size = 3 * 1024 * 1024;
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [9], allocatedSize: size });
    async function* chunks() {
      for (let i = 0; i < size / 65536; i++) yield new Uint8Array(65536).fill(i & 0xff);
    }
    const result = await backend.writeImmutable(si, 9, secret(3), 0, size, chunks());
    expect(result.complete).to.equal(true);
    const tail = await backend.readImmutable(si, 9, size - 65536, 65536);
    expect(tail.every((b) => b === ((size / 65536 - 1) & 0xff))).to.equal(true);
    const { size: fileSize } = await stat(
      join(dir(), 'shares', formatStorageIndex(si).slice(0, 2), formatStorageIndex(si), '9'),
    );
    expect(fileSize).to.equal(12 + size + 72);
    await backend.close();
  });
});

describe('storage indexes and base32', () => {
  it('round-trips and matches Tahoe storage index strings', () => {
    const text = 'kddbm7ff2vsjqc4wek3isi7emy';
    const bytes = parseStorageIndex(text);
    expect(bytes).to.have.length(16);
    expect(formatStorageIndex(bytes)).to.equal(text);
    expect(base32Encode(base32Decode('orswqnzvny2hi3lf')!)).to.equal('orswqnzvny2hi3lf');
    expect(base32Encode(new TextEncoder().encode('foobar'))).to.equal('mzxw6ytboi');
  });

  it('rejects malformed storage indexes with a typed error naming the value', () => {
    for (const bad of [
      'kddbm7ff2vsjqc4wek3isi7em',
      'KDDBM7FF2VSJQC4WEK3ISI7EMY',
      'kddbm7ff2vsjqc4wek3isi7em1',
      'kddbm7ff2vsjqc4wek3isi7emz',
    ]) {
      expect(() => parseStorageIndex(bad), bad).to.throw(InvalidStorageIndexError, bad);
    }
  });
});

describe('RangeSet', () => {
  it('merges, intersects and reports what is missing', () => {
    const r = new RangeSet();
    r.add(10, 20);
    r.add(30, 40);
    r.add(20, 25);
    expect(r.size()).to.equal(25);
    expect(r.intersect(15, 35)).to.deep.equal([
      { begin: 15, end: 25 },
      { begin: 30, end: 35 },
    ]);
    expect(r.missing(50)).to.deep.equal([
      { begin: 0, end: 10 },
      { begin: 25, end: 30 },
      { begin: 40, end: 50 },
    ]);
    r.add(0, 50);
    expect(r.missing(50)).to.deep.equal([]);
  });
});
