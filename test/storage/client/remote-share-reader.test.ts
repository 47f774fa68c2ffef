import { expect } from 'chai';
import type { StorageApi } from '../../../src/storage/client/grid.js';
import { RemoteShareReader } from '../../../src/storage/client/remote-share-reader.js';

/**
 * A share in memory behind the one call the reader makes, logging every request, and writing the reply into
 * the caller's `into` buffer when it fits (as GbsClient does), recording which buffers it was given.
 */
function fakeServer(share: Uint8Array): {
  api: StorageApi;
  requests: { offset: number; length: number }[];
  buffers: Set<ArrayBufferLike>;
} {
  const requests: { offset: number; length: number }[] = [];
  const buffers = new Set<ArrayBufferLike>();
  const api = {
    async readImmutableShare(
      _si: Uint8Array,
      _shnum: number,
      offset: number,
      length: number,
      options: { into?: Uint8Array } = {},
    ) {
      requests.push({ offset, length });
      await new Promise((resolve) => setImmediate(resolve));
      const bytes = share.subarray(offset, Math.min(offset + length, share.length));
      const into = options.into;
      if (!into || into.length < bytes.length) return bytes.slice();
      buffers.add(into.buffer);
      into.set(bytes);
      return into.subarray(0, bytes.length);
    },
  } as unknown as StorageApi;
  return { api, requests, buffers };
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

  it('readInto reuses two or three window buffers over a whole scan', async () => {
    const { api, buffers } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: BLOCK });
    const target = new Uint8Array(BLOCK);
    for (let i = 0; i < 30; i++) {
      const offset = DATA + i * BLOCK;
      expect(await reader.readInto(offset, target)).to.equal(BLOCK);
      expect(Buffer.from(target).equals(Buffer.from(share.subarray(offset, offset + BLOCK)))).to.equal(true);
    }
    expect(buffers.size).to.be.within(2, 3);
  });

  it('never reuses a window whose bytes read() handed out', async () => {
    const { api } = fakeServer(share);
    const reader = new RemoteShareReader(api, new Uint8Array(16), 0, { readAhead: BLOCK });
    const kept = await reader.read(DATA, BLOCK);
    const copy = kept.slice();
    const target = new Uint8Array(BLOCK);
    for (let i = 1; i < 10; i++) await reader.readInto(DATA + i * BLOCK, target);
    expect(Buffer.from(kept).equals(Buffer.from(copy))).to.equal(true);
  });
});
