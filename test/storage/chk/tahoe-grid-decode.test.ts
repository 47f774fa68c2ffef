import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { LafsError } from '../../../src/errors.js';
import { decodeImmutable } from '../../../src/storage/chk/decode-immutable.js';
import { CorruptShareError, NotEnoughSharesError } from '../../../src/storage/chk/errors.js';
import { parseShareHeader } from '../../../src/storage/chk/layout.js';
import { type FixtureFile, immutableShareData, loadManifest } from '../support/tahoe-grid.js';

const files = loadManifest().files.filter((f) => f.kind === 'chk');

async function sha256Of(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk);
  return h.digest('hex');
}

function sharesOf(file: FixtureFile, numbers: number[]): Map<number, Uint8Array> {
  return new Map(numbers.map((n) => [n, immutableShareData(file, n)]));
}

function flip(share: Uint8Array, offset: number): Uint8Array {
  const copy = share.slice();
  copy[offset] = (copy[offset] as number) ^ 0x40;
  return copy;
}

describe('storage/chk: decoding the real Tahoe grid CHK shares', () => {
  const subsets = [
    [0, 1, 2],
    [7, 8, 9],
    [0, 5, 9],
    [3, 4, 6],
    [2, 6, 8],
  ];
  for (const file of files) {
    for (const subset of subsets) {
      it(`${file.dir}: decodes from shares ${subset.join(',')}`, async () => {
        expect(await sha256Of(decodeImmutable(file.cap, sharesOf(file, subset)))).to.equal(file.sha256);
      });
    }
  }

  const big = files.find((f) => f.dir === 'chk-2621440') as FixtureFile;

  it('detects a corrupt block, names the share and segment, and fails over to a spare share', async () => {
    const shares = sharesOf(big, [0, 1, 2, 3]);
    const header = parseShareHeader(shares.get(1) as Uint8Array);
    // a byte inside the second segment's block of share 1
    const blockSize = header.blockSize;
    shares.set(1, flip(shares.get(1) as Uint8Array, header.offsets.data + blockSize + 17));
    const failures: LafsError[] = [];
    const digest = await sha256Of(
      decodeImmutable(big.cap, shares, { onShareFailure: (e) => failures.push(e) }),
    );
    expect(digest).to.equal(big.sha256);
    expect(failures).to.have.length(1);
    expect(failures[0]).to.be.instanceOf(CorruptShareError);
    expect((failures[0] as CorruptShareError).shareNumber).to.equal(1);
    expect((failures[0] as CorruptShareError).segment).to.equal(1);
    expect((failures[0] as CorruptShareError).message).to.match(/share 1/);
  });

  it('with no spare share, a corrupt block is a NotEnoughSharesError naming the share', async () => {
    const shares = sharesOf(big, [4, 5, 6]);
    const header = parseShareHeader(shares.get(5) as Uint8Array);
    shares.set(5, flip(shares.get(5) as Uint8Array, header.offsets.data + 3));
    let error: unknown;
    try {
      await sha256Of(decodeImmutable(big.cap, shares));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NotEnoughSharesError);
    const failures = (error as NotEnoughSharesError).failures;
    expect(failures.map((f) => (f as CorruptShareError).shareNumber)).to.deep.equal([5]);
    expect((error as Error).message).to.match(/share 5/);
  });

  const regions: [string, (h: ReturnType<typeof parseShareHeader>) => number][] = [
    ['URI extension block', (h) => h.offsets.uriExtension + 4 + 10],
    ['share hashes', (h) => h.offsets.shareHashes + 5],
    ['block hash tree', (h) => h.offsets.blockHashes + 40],
    ['header', () => 0x14],
    ['last block', (h) => h.offsets.plaintextHashTree - 1],
  ];
  for (const [name, where] of regions) {
    it(`rejects share 0 with a flipped byte in its ${name} and uses share 9`, async () => {
      const file = files.find((f) => f.dir === 'chk-204800') as FixtureFile;
      const shares = sharesOf(file, [0, 1, 2, 9]);
      const share0 = shares.get(0) as Uint8Array;
      shares.set(0, flip(share0, where(parseShareHeader(share0))));
      const failures: LafsError[] = [];
      const digest = await sha256Of(
        decodeImmutable(file.cap, shares, { onShareFailure: (e) => failures.push(e) }),
      );
      expect(digest).to.equal(file.sha256);
      expect(failures.map((f) => (f as CorruptShareError).shareNumber)).to.deep.equal([0]);
    });
  }

  it('a flipped crypttext-tree node in one share is outvoted by another share', async () => {
    const shares = sharesOf(big, [0, 1, 2]);
    const share0 = shares.get(0) as Uint8Array;
    const h = parseShareHeader(share0);
    // node 2 of the crypttext tree (3 segments, 4 leaves): needed to check segment 0
    shares.set(0, flip(share0, h.offsets.crypttextHashTree + 2 * 32 + 3));
    const failures: LafsError[] = [];
    const digest = await sha256Of(
      decodeImmutable(big.cap, shares, { onShareFailure: (e) => failures.push(e) }),
    );
    expect(digest).to.equal(big.sha256);
    expect(failures.map((f) => (f as CorruptShareError).shareNumber)).to.include(0);
  });

  it('a truncated share is set aside', async () => {
    const shares = sharesOf(big, [0, 1, 2, 3]);
    shares.set(2, (shares.get(2) as Uint8Array).subarray(0, 500_000));
    const failures: LafsError[] = [];
    expect(
      await sha256Of(decodeImmutable(big.cap, shares, { onShareFailure: (e) => failures.push(e) })),
    ).to.equal(big.sha256);
    expect(failures.map((f) => (f as CorruptShareError).shareNumber)).to.deep.equal([2]);
  });
});
