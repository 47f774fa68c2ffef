import { createHash, randomBytes } from 'node:crypto';
import { open, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import { formatCap } from '../../../src/storage/caps/format.js';
import { encodeImmutable } from '../../../src/storage/chk/encode-immutable.js';
import { CorruptShareError } from '../../../src/storage/chk/errors.js';
import { downloadImmutable } from '../../../src/storage/client/download.js';
import { DownloadError, UploadUnhappinessError } from '../../../src/storage/client/errors.js';
import type { TransferProgress } from '../../../src/storage/client/grid.js';
import { LeaseSecrets } from '../../../src/storage/client/lease-secrets.js';
import { uploadImmutable } from '../../../src/storage/client/upload.js';
import { sleep } from '../../../src/util/abort.js';
import { type LocalGrid, startLocalGrid } from '../../support/local-grid.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

/** Every share file on server `i`'s disk (outside incoming/). */
async function shareFiles(grid: LocalGrid, i: number): Promise<string[]> {
  const root = join(grid.dir, `storage${i}`, 'storage', 'shares');
  const out: string[] = [];
  for (const prefix of await readdir(root)) {
    if (prefix === 'incoming') continue;
    for (const si of await readdir(join(root, prefix))) {
      for (const sh of await readdir(join(root, prefix, si))) out.push(join(root, prefix, si, sh));
    }
  }
  return out;
}

describe('grid upload and download through 5 HTTPS storage servers on 127.0.0.1', function () {
  this.timeout(120_000);
  let grid: LocalGrid;
  const leaseSecrets = new LeaseSecrets(new Uint8Array(32).fill(7));
  const convergenceSecret = new Uint8Array(16).fill(3);
  const options = { leaseSecrets, convergenceSecret, needed: 3, happy: 5, total: 10 };

  beforeEach(async () => {
    grid = await startLocalGrid(5);
  });
  afterEach(async () => {
    await grid.close();
  });

  it('round-trips a 3 MiB file with the same cap the local encoder gives, reporting progress', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const progress: TransferProgress[] = [];
    const result = await uploadImmutable(data, grid.clients(), {
      ...options,
      onProgress: (p) => progress.push(p),
    });
    const local = await encodeImmutable(data, { convergenceSecret, needed: 3, total: 10 });
    expect(formatCap(result.cap)).to.equal(local.cap);
    expect(result.happiness).to.equal(5);
    expect(result.sharesOn!.size).to.equal(10);
    expect(progress.some((p) => p.phase === 'uploading')).to.equal(true);
    const last = progress.at(-1)!;
    expect(last.done).to.equal(last.total);

    const down = await collect(downloadImmutable(result.cap, grid.clients()));
    expect(sha256(down)).to.equal(sha256(data));
  });

  it('uploading the same file again reuses the shares already there', async () => {
    const data = randomBytes(200_000);
    const first = await uploadImmutable(data, grid.clients(), options);
    const again = await uploadImmutable(data, grid.clients(), options);
    expect(formatCap(again.cap)).to.equal(formatCap(first.cap));
    expect([...again.sharesOn!]).to.have.deep.members([...first.sharesOn!]);
  });

  it('downloads with N-k = 2 servers down (4 shares gone)', async () => {
    const data = randomBytes(1_500_000);
    const { cap } = await uploadImmutable(data, grid.clients(), options);
    await grid.stop(0);
    await grid.stop(3);
    const down = await collect(downloadImmutable(cap, grid.clients(), { requestTimeoutMs: 5_000 }));
    expect(sha256(down)).to.equal(sha256(data));
  });

  it('detects corrupted shares and still downloads from the others', async () => {
    const data = randomBytes(1_200_000);
    const { cap } = await uploadImmutable(data, grid.clients(), options);
    // Flip a byte in the middle of the primary shares 0-2, wherever they are: the download asks for primary shares
    // first, so it meets every one of them (a choice by server would depend on the random placement).
    let corrupted = 0;
    for (let i = 0; i < 5; i++) {
      for (const path of (await shareFiles(grid, i)).filter((p) => ['0', '1', '2'].includes(basename(p)))) {
        const fh = await open(path, 'r+');
        const { size } = await fh.stat();
        const at = Math.floor(size / 2);
        const byte = Buffer.alloc(1);
        await fh.read(byte, 0, 1, at);
        byte[0] = byte[0]! ^ 0xff;
        await fh.write(byte, 0, 1, at);
        await fh.close();
        corrupted++;
      }
    }
    expect(corrupted).to.equal(3);
    const failures: CorruptShareError[] = [];
    const down = await collect(
      downloadImmutable(cap, grid.clients(), {
        onShareFailure: (e) => {
          if (e instanceof CorruptShareError) failures.push(e);
        },
      }),
    );
    expect(sha256(down)).to.equal(sha256(data));
    expect(failures.length, 'corrupt shares detected').to.be.greaterThan(0);
    // The servers holding the corrupt shares are told (a best-effort request: give it a moment).
    const advisories = async (): Promise<number> => {
      let n = 0;
      for (let i = 0; i < 5; i++) {
        n += await readdir(join(grid.dir, `storage${i}`, 'storage', 'corruption-advisories')).then(
          (f) => f.length,
          () => 0,
        );
      }
      return n;
    };
    for (let i = 0; i < 200 && (await advisories()) < failures.length; i++) await sleep(100);
    expect(await advisories()).to.equal(failures.length);
  });

  it('fails with a clear error when fewer than k shares are reachable', async () => {
    const data = randomBytes(100_000);
    const { cap } = await uploadImmutable(data, grid.clients(), options);
    for (const i of [0, 1, 2, 3]) await grid.stop(i);
    const error = await collect(downloadImmutable(cap, grid.clients(), { requestTimeoutMs: 5_000 })).catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(DownloadError);
    expect((error as Error).message).to.match(/found 2 of the 3 shares needed on 5 server\(s\)/);
  });

  it('refuses an upload that cannot reach happiness and says why each server failed', async () => {
    await grid.stop(1);
    await grid.stop(2);
    const error = await uploadImmutable(randomBytes(100_000), grid.clients(), {
      ...options,
      requestTimeoutMs: 5_000,
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(UploadUnhappinessError);
    const unhappy = error as UploadUnhappinessError;
    expect(unhappy.happiness).to.equal(3);
    expect(unhappy.needed).to.equal(5);
    expect(unhappy.failures.map((f) => f.server)).to.have.members(['storage1', 'storage2']);
    expect(unhappy.message).to.match(/5 server\(s\) found, 2 failed/);
  });

  it('a literal file needs no server', async () => {
    const result = await uploadImmutable(new Uint8Array([1, 2, 3]), [], options);
    expect(formatCap(result.cap)).to.match(/^URI:LIT:/);
    expect([...(await collect(downloadImmutable(result.cap, [])))]).to.deep.equal([1, 2, 3]);
  });
});
