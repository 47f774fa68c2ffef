import { access } from 'node:fs/promises';
import { expect } from 'chai';
import { BodyTooLargeError } from '../../../src/node/gateway/errors.js';
import { SpoolWriter } from '../../../src/node/gateway/spool.js';
import { rejection } from '../../support/rejection.js';
import { makeTempDir } from '../../support/temp-dirs.js';

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString();
}

describe('node/gateway/spool', () => {
  it('spools chunks to a file that can be read twice, then removed', async () => {
    const spool = await SpoolWriter.create(makeTempDir('lafs-spool-'), 100);
    await spool.write(Buffer.from('abc'));
    await spool.write(Buffer.from('defg'));
    const file = await spool.finish();
    expect(file.size).to.equal(7);
    expect(await readAll(file.open())).to.equal('abcdefg');
    expect(await readAll(file.open())).to.equal('abcdefg');
    await file.remove();
    await file.remove();
    expect(await rejection(access(file.path))).to.have.property('code', 'ENOENT');
  });

  it('refuses a chunk past the limit with BodyTooLargeError', async () => {
    const spool = await SpoolWriter.create(makeTempDir('lafs-spool-'), 5);
    await spool.write(Buffer.from('1234'));
    expect(await rejection(spool.write(Buffer.from('56')))).to.be.instanceOf(BodyTooLargeError);
    await spool.remove();
  });

  it('refuses a write after remove() with an error naming the spool, not a crash', async () => {
    const spool = await SpoolWriter.create(makeTempDir('lafs-spool-'), 100);
    await spool.remove();
    const error = await rejection(spool.write(Buffer.from('x')));
    expect(error.message).to.match(/^bug: the spool .*upload-[0-9a-f]+\.tmp was written after/);
  });
});
