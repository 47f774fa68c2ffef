import { expect } from 'chai';
import {
  MUTABLE_DATA_OFFSET,
  type MutableContainerInfo,
  writeMutableData,
} from '../../../src/storage/backend/mutable-container.js';
import { ShortWriteError } from '../../../src/util/write-fully.js';
import { rejection } from '../../support/rejection.js';

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
  };
}

function emptyInfo(): MutableContainerInfo {
  return {
    schemaVersion: 1,
    writeEnablerNodeId: new Uint8Array(20),
    writeEnabler: new Uint8Array(32),
    dataLength: 0,
    extraLeaseOffset: MUTABLE_DATA_OFFSET + 4096,
    extraLeaseCount: 0,
  };
}

describe('mutable container: share data writes', () => {
  it('writes all of the data when the file takes it in short writes', async () => {
    const file = fakeFile(5);
    const data = Uint8Array.from({ length: 100 }, (_, i) => i + 1);
    await writeMutableData(file as never, emptyInfo(), 10, data, '/shares/ab/abc/0');
    expect([...file.bytes.subarray(MUTABLE_DATA_OFFSET + 10, MUTABLE_DATA_OFFSET + 110)]).to.deep.equal([
      ...data,
    ]);
  });

  it('is a ShortWriteError naming the share file when a write takes no bytes', async () => {
    const file = fakeFile(0);
    const error = await rejection(
      writeMutableData(file as never, emptyInfo(), 0, new Uint8Array(8), '/shares/ab/abc/0'),
      'a write that took no bytes was reported as done',
    );
    expect(error).to.be.instanceOf(ShortWriteError);
    expect(error.message).to.include('/shares/ab/abc/0');
  });
});
