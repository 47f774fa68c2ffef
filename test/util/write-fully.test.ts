import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ShortWriteError, writeFully } from '../../src/util/write-fully.js';
import { rejection } from '../support/rejection.js';

/** A file handle stand-in that takes at most `step` bytes per write (0: none) and records where they went. */
function fakeHandle(step: number) {
  const calls: { position: number | null; bytes: number[] }[] = [];
  return {
    calls,
    async write(buffer: Uint8Array, offset: number, length: number, position: number | null) {
      const n = Math.min(step, length);
      calls.push({ position, bytes: [...buffer.subarray(offset, offset + n)] });
      return { bytesWritten: n, buffer };
    },
  };
}

describe('util/write-fully', () => {
  it('loops over short writes, each at the next position', async () => {
    const handle = fakeHandle(3);
    await writeFully(handle as never, Uint8Array.from([1, 2, 3, 4, 5, 6, 7]), 100, 'f');
    expect(handle.calls).to.deep.equal([
      { position: 100, bytes: [1, 2, 3] },
      { position: 103, bytes: [4, 5, 6] },
      { position: 106, bytes: [7] },
    ]);
  });

  it('appends at the current position when the position is null', async () => {
    const handle = fakeHandle(4);
    await writeFully(handle as never, new Uint8Array(6), null, 'f');
    expect(handle.calls.map((c) => c.position)).to.deep.equal([null, null]);
  });

  it('rejects a write that takes no bytes instead of looping forever, naming the file and the place', async () => {
    const handle = fakeHandle(0);
    const error = await rejection(writeFully(handle as never, new Uint8Array(5), 40, '/spool/upload.tmp'));
    expect(error).to.be.instanceOf(ShortWriteError);
    expect((error as ShortWriteError).path).to.equal('/spool/upload.tmp');
    expect((error as ShortWriteError).position).to.equal(40);
    expect(handle.calls).to.have.length(1);
  });

  it('writes a real file, positioned and appended', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-write-fully-'));
    try {
      const path = join(dir, 'f');
      const fh = await open(path, 'w+');
      try {
        await writeFully(fh, Buffer.from('hello '), null, path);
        await writeFully(fh, Buffer.from('world'), null, path);
        await writeFully(fh, Buffer.from('W'), 6, path);
      } finally {
        await fh.close();
      }
      expect(await readFile(path, 'utf8')).to.equal('hello World');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
