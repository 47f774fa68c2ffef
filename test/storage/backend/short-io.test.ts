import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { CorruptContainerError } from '../../../src/storage/backend/errors.js';
import {
  IMMUTABLE_HEADER_SIZE,
  writeImmutableLeases,
} from '../../../src/storage/backend/immutable-container.js';
import {
  createUploadContainer,
  newUpload,
  writeUploadData,
} from '../../../src/storage/backend/immutable-upload.js';
import { IMMUTABLE_LEASE_SIZE, type LeaseRecord } from '../../../src/storage/backend/lease-record.js';
import {
  MUTABLE_DATA_OFFSET,
  type MutableContainerInfo,
  truncateMutableData,
  writeMutableData,
  writeMutableLeaseSlot,
} from '../../../src/storage/backend/mutable-container.js';
import { ShortWriteError } from '../../../src/util/write-fully.js';
import { rejection } from '../../support/rejection.js';
import { makeTempDir } from '../../support/temp-dirs.js';

/** A file stand-in over a byte array whose writes take at most `step` bytes each (0: none). */
function fakeFile(step: number) {
  const bytes = new Uint8Array(MUTABLE_DATA_OFFSET + 4096);
  return {
    bytes,
    async write(buffer: Uint8Array, offset: number, length: number, position: number) {
      const n = Math.min(step, length);
      bytes.set(buffer.subarray(offset, offset + n), position);
      return { bytesWritten: n, buffer };
    },
    async truncate() {},
  };
}

const lease: LeaseRecord = {
  ownerNumber: 1,
  renewSecret: new Uint8Array(32).fill(1),
  cancelSecret: new Uint8Array(32).fill(2),
  expirationTime: 1_800_000_000,
  nodeId: new Uint8Array(20).fill(3),
};

function mutableInfo(dataLength = 100): MutableContainerInfo {
  return {
    schemaVersion: 1,
    writeEnablerNodeId: new Uint8Array(20),
    writeEnabler: new Uint8Array(32),
    dataLength,
    extraLeaseOffset: MUTABLE_DATA_OFFSET + 4096,
    extraLeaseCount: 0,
  };
}

describe('storage backend: mutable share data writes that the file takes short', () => {
  it('writes all of the data when the file takes it in short writes', async () => {
    const file = fakeFile(5);
    const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    await writeMutableData(file as never, mutableInfo(0), 10, data, '/shares/ab/abc/0');
    expect([...file.bytes.subarray(MUTABLE_DATA_OFFSET + 10, MUTABLE_DATA_OFFSET + 110)]).to.deep.equal([
      ...data,
    ]);
  });

  it('is a ShortWriteError naming the share file when a write takes no bytes', async () => {
    const file = fakeFile(0);
    const error = await rejection(
      writeMutableData(file as never, mutableInfo(0), 0, new Uint8Array(8), '/shares/ab/abc/0'),
      'a write that took no bytes was reported as done',
    );
    expect(error).to.be.instanceOf(ShortWriteError);
    expect(error.message).to.include('/shares/ab/abc/0');
  });
});

describe('storage backend: lease and length writes that the file takes short', () => {
  it('lease records and counts are written whole over short writes', async () => {
    const short = fakeFile(7);
    const whole = fakeFile(1 << 20);
    await writeImmutableLeases(short as never, 100, [lease, lease], '/s/0');
    await writeImmutableLeases(whole as never, 100, [lease, lease], '/s/0');
    expect(Buffer.from(short.bytes).equals(Buffer.from(whole.bytes))).to.equal(true);
    expect([...short.bytes.subarray(100, 100 + 2 * IMMUTABLE_LEASE_SIZE)].some((b) => b !== 0)).to.equal(
      true,
    );
  });

  it('a write taking no bytes is a ShortWriteError naming the share, for every kind of lease or length write', async () => {
    const writes = [
      () => writeImmutableLeases(fakeFile(0) as never, 100, [lease], '/s/imm'),
      () => writeMutableLeaseSlot(fakeFile(0) as never, mutableInfo(), 0, lease, '/s/mut-lease'),
      () => truncateMutableData(fakeFile(0) as never, mutableInfo(), 10, '/s/mut-length'),
    ];
    for (const [i, write] of writes.entries()) {
      const error = await rejection(write(), `write ${i} reported success`);
      expect(error, `write ${i}`).to.be.instanceOf(ShortWriteError);
      expect(error.message).to.match(/\/s\/(imm|mut-lease|mut-length)/);
    }
  });
});

describe('storage backend: an incoming share cut short under an upload', () => {
  it('a rewrite of data already received is checked against the file: a truncated file is corrupt, not a conflict', async () => {
    const dir = makeTempDir('lafs-short-io-');
    const incomingPath = join(dir, '0');
    await createUploadContainer(incomingPath, 64, new Uint8Array(32), new Uint8Array(32), 1_800_000_000);
    const upload = newUpload({
      secret: new Uint8Array(32),
      allocatedSize: 64,
      incomingPath,
      finalPath: join(dir, 'final'),
      timer: setTimeout(() => undefined, 0),
    });
    const data = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
    await writeUploadData(upload, 0, 20, [data]);
    // The same bytes again are accepted (Tahoe allows an identical overlap)...
    await writeUploadData(upload, 0, 20, [data]);
    // ...but once the file has lost them, the check cannot read them back.
    await truncate(incomingPath, IMMUTABLE_HEADER_SIZE + 5);
    const error = await rejection(writeUploadData(upload, 0, 20, [data]));
    expect(error).to.be.instanceOf(CorruptContainerError);
    expect(error.message).to.include(incomingPath);
  });
});
