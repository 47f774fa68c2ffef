import { expect } from 'chai';
import { createCodec } from '../../../src/crypto/zfec/index.js';
import { implementations } from './implementations.js';
import { firstSegmentBlocks } from './tahoe-shares.js';

/**
 * Golden test against shares a real Tahoe-LAFS 1.20 grid wrote (k=3, n=10): share i's block for a segment is
 * zfec's output block i, so encoding shares 0..2 must reproduce shares 3..9 byte for byte.
 */
const fixtures = [
  { dir: 'chk-56', blockSize: 19, note: '56-byte file, one segment' },
  { dir: 'chk-204800', blockSize: 68267, note: '200 KiB file, one segment' },
  { dir: 'chk-2621440', blockSize: 349526, note: 'first 1 MiB segment of a 2.5 MiB file' },
];

const decodeSubsets = [
  [3, 4, 5],
  [7, 8, 9],
  [9, 0, 6],
  [2, 5, 8],
  [1, 9, 4],
  [0, 1, 2],
];

for (const implementation of implementations) {
  describe(`zfec against real Tahoe-LAFS shares (${implementation})`, () => {
    const codec = createCodec(3, 10, { implementation });
    for (const { dir, blockSize, note } of fixtures) {
      it(`${dir} (${note}): encoding blocks 0..2 yields exactly the blocks of shares 3..9`, () => {
        const blocks = firstSegmentBlocks(dir, 10);
        expect(blocks[0]).to.have.length(blockSize);
        const encoded = codec.encode(blocks.slice(0, 3), [3, 4, 5, 6, 7, 8, 9]);
        encoded.forEach((block, i) => {
          expect(Buffer.from(block).equals(blocks[i + 3]!), `share ${i + 3}`).to.equal(true);
        });
      });

      it(`${dir}: decoding from several 3-share subsets gives blocks 0..2`, () => {
        const blocks = firstSegmentBlocks(dir, 10);
        for (const subset of decodeSubsets) {
          const decoded = codec.decode(
            subset.map((s) => blocks[s]!),
            subset,
          );
          decoded.forEach((block, i) => {
            expect(Buffer.from(block).equals(blocks[i]!), `shares ${subset}: block ${i}`).to.equal(true);
          });
        }
      });
    }
  });
}
