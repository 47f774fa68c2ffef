import { execFileSync } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { FileTooLargeError, NotRegularFileError, readFileAtMost } from '../../src/util/read-file-at-most.js';
import { rejection } from '../support/rejection.js';
import { makeTempDir } from '../support/temp-dirs.js';

describe('util/read-file-at-most', () => {
  it('reads a file of up to the limit whole', async () => {
    const dir = makeTempDir('lafs-read-at-most-');
    const path = join(dir, 'f');
    const data = Buffer.from('x'.repeat(200_000));
    await writeFile(path, data);
    expect(Buffer.from(await readFileAtMost(path, data.length)).equals(data)).to.equal(true);
    await writeFile(path, '');
    expect(await readFileAtMost(path, 10)).to.have.length(0);
  });

  it('refuses a larger file before reading it, naming it and the limit', async () => {
    const path = join(makeTempDir('lafs-read-at-most-'), 'huge');
    await writeFile(path, '');
    await truncate(path, 3 * 1024 * 1024 * 1024);
    const error = await rejection(readFileAtMost(path, 1024));
    expect(error).to.be.instanceOf(FileTooLargeError);
    expect(error.message).to.equal(`${path} is larger than 1024 bytes`);
  });

  it('refuses a directory and a FIFO without a writer, without hanging', async () => {
    const dir = makeTempDir('lafs-read-at-most-');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of [dir, fifo]) {
      const error = await rejection(readFileAtMost(path, 1024));
      expect(error, path).to.be.instanceOf(NotRegularFileError);
      expect(error.message).to.equal(`${path} is not a regular file`);
    }
  });

  it('passes a missing file on as ENOENT', async () => {
    const error = await rejection(readFileAtMost(join(makeTempDir('lafs-read-at-most-'), 'no'), 10));
    expect(error).to.have.property('code', 'ENOENT');
  });
});
