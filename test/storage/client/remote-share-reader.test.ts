import { expect } from 'chai';
import type { StorageApi } from '../../../src/storage/client/grid.js';
import { RemoteShareReader } from '../../../src/storage/client/remote-share-reader.js';

/** A share in memory behind the one call the reader makes, logging every request and when it was made. */
function fakeServer(share: Uint8Array): { api: StorageApi; requests: { offset: number; length: number }[] } {
  const requests: { offset: number; length: number }[] = [];
  const api = {
    async readImmutableShare(_si: Uint8Array, _shnum: number, offset: number, length: number) {
      requests.push({ offset, length });
      await new Promise((resolve) => setImmediate(resolve));
      return share.slice(offset, Math.min(offset + length, share.length));
    },
  } as unknown as StorageApi;
  return { api, requests };
}

const share = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
const BLOCK = 3_000;
const DATA = 100;

describe('RemoteShareReader read-ahead', () => {
  it('cuts windows into whole blocks, so sequential block reads fetch every byte once', async () => {
    const { api, requests } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: 8_192 });
    for (let i = 0; i < 20; i++) {
      const offset = DATA + i * BLOCK;
      const got = await reader.read(offset, BLOCK);
      expect(Buffer.from(got).equals(Buffer.from(share.subarray(offset, offset + BLOCK)))).to.equal(true);
    }
    // 8192 bytes hold two 3000-byte blocks: windows of 6000 bytes starting on block boundaries.
    for (const r of requests) {
      expect(r.length).to.equal(2 * BLOCK);
      expect((r.offset - DATA) % (2 * BLOCK)).to.equal(0);
    }
    const offsets = requests.map((r) => r.offset);
    expect(new Set(offsets).size).to.equal(offsets.length);
    // 20 blocks are 10 windows; at most one more was prefetched past the last read.
    expect(requests.length).to.be.within(10, 11);
  });

  it('asks for the next window before a sequential scan reaches it', async () => {
    const { api, requests } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: BLOCK });
    await reader.read(DATA, BLOCK);
    await reader.read(DATA + BLOCK, BLOCK);
    // The second read continued the first: the third block is already requested before anyone asks for it.
    expect(requests.map((r) => r.offset)).to.include(DATA + 2 * BLOCK);
  });

  it('fetches a read larger than the read-ahead whole, and does not prefetch for scattered reads', async () => {
    const { api, requests } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: 1_000 });
    const got = await reader.read(50_000, 4_000);
    expect(got.length).to.equal(4_000);
    await reader.read(10_000, 4_000);
    await reader.read(30_000, 4_000);
    expect(requests).to.deep.equal([
      { offset: 50_000, length: 4_000 },
      { offset: 10_000, length: 4_000 },
      { offset: 30_000, length: 4_000 },
    ]);
  });

  it('returns the short tail at the end of the share', async () => {
    const { api } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: 8_192 });
    const got = await reader.read(share.length - 1_000, BLOCK);
    expect(Buffer.from(got).equals(Buffer.from(share.subarray(share.length - 1_000)))).to.equal(true);
  });
});
