import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { expect } from 'chai';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { ConflictingWriteError } from '../../../src/storage/backend/errors.js';
import { formatStorageIndex, incomingBucketDir } from '../../../src/storage/backend/storage-index.js';
import { secret, useTempDir } from './temp-storage.js';

const si = Uint8Array.from({ length: 16 }, (_, i) => 200 - i);
const nodeId = new Uint8Array(20).fill(9);
const alloc = { renewSecret: secret(1), cancelSecret: secret(2), uploadSecret: secret(3) };

/** `data` as chunks of the given sizes, cycling. */
function chunked(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0, i = 0; o < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    out.push(data.subarray(o, o + n));
    o += n;
  }
  return out;
}

describe('storage backend: gathered upload writes', () => {
  const dir = useTempDir('lafs-gather-');

  it('lands byte-exact when writes are gathered across chunk and request boundaries', async () => {
    // A small gather size so each request is several gathered writes, each spanning several odd chunks.
    const backend = await openDiskBackend({ storageDir: dir(), nodeId, writeGatherSize: 1000 });
    const share = randomBytes(50_000);
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: share.length });
    // Out of order requests of uneven sizes, each body split into chunks that straddle the gather size.
    const requests = [
      [20_001, 17_000],
      [0, 7_777],
      [37_001, 12_999],
      [7_777, 12_224],
    ] as const;
    let last = { complete: false, required: [] as { begin: number; end: number }[] };
    for (const [offset, length] of requests) {
      const body = share.subarray(offset, offset + length);
      last = await backend.writeImmutable(
        si,
        0,
        secret(3),
        offset,
        length,
        chunked(body, [333, 1, 998, 4099]),
      );
    }
    expect(last.complete).to.equal(true);
    expect(await backend.listImmutable(si)).to.deep.equal([0]);
    expect(Buffer.from(await backend.readImmutable(si, 0, 0, share.length)).equals(share)).to.equal(true);
    await backend.close();
  });

  it('refuses a conflicting byte in the middle of a gathered write and keeps the stored bytes', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId, writeGatherSize: 4096 });
    const share = randomBytes(3000);
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: share.length + 10 });
    await backend.writeImmutable(si, 0, secret(3), 1000, 1000, chunked(share.subarray(1000, 2000), [100]));
    // Same bytes again, gathered with new neighbours: accepted.
    const same = await backend.writeImmutable(
      si,
      0,
      secret(3),
      500,
      2000,
      chunked(share.subarray(500, 2500), [77]),
    );
    expect(same.required).to.deep.equal([
      { begin: 0, end: 500 },
      { begin: 2500, end: 3010 },
    ]);
    const changed = Uint8Array.from(share.subarray(0, 3000));
    changed[1500] = (changed[1500] ?? 0) ^ 1;
    let error: unknown;
    try {
      await backend.writeImmutable(si, 0, secret(3), 0, 3000, chunked(changed, [64]));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConflictingWriteError);
    // Nothing of the refused gathered write was recorded as written.
    const retry = await backend.writeImmutable(si, 0, secret(3), 2500, 10, [share.subarray(2500, 2510)]);
    expect(retry.required).to.deep.equal([
      { begin: 0, end: 500 },
      { begin: 2510, end: 3010 },
    ]);
    await backend.close();
  });

  it('keeps what arrived before a body failed, and the share never reads as complete until all bytes are in', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId });
    const share = randomBytes(100_000);
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: share.length });
    async function* dropped() {
      yield share.subarray(0, 30_000);
      yield share.subarray(30_000, 40_000);
      throw new Error('connection reset');
    }
    let error: unknown;
    try {
      await backend.writeImmutable(si, 0, secret(3), 0, share.length, dropped());
    } catch (e) {
      error = e;
    }
    expect(error).to.have.property('message', 'connection reset');
    expect(await backend.listImmutable(si)).to.deep.equal([]);
    const incoming = incomingBucketDir(dir(), formatStorageIndex(si));
    expect(await readdir(incoming)).to.deep.equal(['0']);
    // A crash now (a new process on the same directory) leaves nothing that reads as a share.
    const restarted = await openDiskBackend({ storageDir: dir(), nodeId });
    expect(await restarted.listImmutable(si)).to.deep.equal([]);
    await restarted.close();
    await backend.close();
  });

  it('resumes after a failed body: the bytes that arrived are not required again', async () => {
    const backend = await openDiskBackend({ storageDir: dir(), nodeId });
    const share = randomBytes(100_000);
    await backend.allocateBuckets(si, { ...alloc, shareNumbers: [0], allocatedSize: share.length });
    async function* dropped() {
      for (let o = 0; o < 40_000; o += 16_384) yield share.subarray(o, Math.min(o + 16_384, 40_000));
      throw new Error('connection reset');
    }
    await backend.writeImmutable(si, 0, secret(3), 0, share.length, dropped()).catch(() => undefined);
    const rest = await backend.writeImmutable(si, 0, secret(3), 40_000, 60_000, [share.subarray(40_000)]);
    expect(rest.complete).to.equal(true);
    expect(Buffer.from(await backend.readImmutable(si, 0, 0, share.length)).equals(share)).to.equal(true);
    await backend.close();
  });
});
