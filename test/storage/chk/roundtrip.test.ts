import { createHash, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { AbortError } from '../../../src/errors.js';
import { parseCap } from '../../../src/storage/caps/parse.js';
import { decodeImmutable } from '../../../src/storage/chk/decode-immutable.js';
import { encodeImmutable } from '../../../src/storage/chk/encode-immutable.js';
import { planImmutableUpload, writeImmutableShares } from '../../../src/storage/chk/encoder.js';
import { ChkSourceError, NotEnoughSharesError } from '../../../src/storage/chk/errors.js';
import { parseShareHeader } from '../../../src/storage/chk/layout.js';
import { MemoryShareSink, type ShareSink } from '../../../src/storage/chk/share-sink.js';

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of stream) parts.push(chunk.slice());
  return Buffer.concat(parts);
}

const secret = new Uint8Array(32).fill(7);

describe('storage/chk: encode/decode round trips', () => {
  const cases: [number, number, number, number][] = [
    // size, k, N, max segment size
    [56, 3, 10, 1024],
    [57, 1, 1, 1024],
    [1000, 2, 5, 100],
    [1001, 3, 10, 100],
    [4096, 7, 7, 4096],
    [10_000, 5, 12, 999],
    [33_333, 25, 100, 4000],
    [5000, 1, 3, 128],
  ];
  for (const [size, k, n, seg] of cases) {
    it(`size=${size} k=${k} N=${n} maxSeg=${seg}: every k-subset tried decodes`, async () => {
      const data = randomBytes(size);
      const enc = await encodeImmutable(data, {
        convergenceSecret: secret,
        needed: k,
        total: n,
        maxSegmentSize: seg,
      });
      expect(enc.shares).to.have.length(n);
      expect(new Set(enc.shares.map((s) => s.length)).size).to.equal(1);
      // first k, last k, and a spread subset
      const subsets = [
        Array.from({ length: k }, (_, i) => i),
        Array.from({ length: k }, (_, i) => n - 1 - i),
        Array.from({ length: k }, (_, i) => Math.floor((i * n) / k)),
      ];
      for (const subset of subsets) {
        const shares = new Map(subset.map((i) => [i, enc.shares[i] as Uint8Array]));
        expect((await collect(decodeImmutable(enc.cap, shares))).equals(data), `subset ${subset}`).to.equal(
          true,
        );
      }
    });
  }

  it('files of 55 bytes or fewer become URI:LIT caps', async () => {
    for (const size of [0, 1, 55]) {
      const data = randomBytes(size);
      const enc = await encodeImmutable(data, { convergenceSecret: secret });
      expect(enc.cap.startsWith('URI:LIT:')).to.equal(true);
      expect(enc.shares).to.have.length(0);
      expect((await collect(decodeImmutable(enc.cap, []))).equals(data)).to.equal(true);
    }
  });

  it('convergent encoding is deterministic; random keys differ and still decode', async () => {
    const data = randomBytes(3000);
    const a = await encodeImmutable(data, { convergenceSecret: secret });
    const b = await encodeImmutable(data, { convergenceSecret: secret });
    expect(a.cap).to.equal(b.cap);
    const other = await encodeImmutable(data, { convergenceSecret: new Uint8Array(32) });
    expect(other.cap).to.not.equal(a.cap);
    const r1 = await encodeImmutable(data);
    const r2 = await encodeImmutable(data);
    expect(r1.cap).to.not.equal(r2.cap);
    expect((await collect(decodeImmutable(r1.cap, r1.shares))).equals(data)).to.equal(true);
  });

  it('forced layout v2 (8-byte offsets) decodes too', async () => {
    const data = randomBytes(20_000);
    const v1 = await encodeImmutable(data, { convergenceSecret: secret, maxSegmentSize: 4096 });
    const v2 = await encodeImmutable(data, {
      convergenceSecret: secret,
      maxSegmentSize: 4096,
      forceV2: true,
    });
    expect(v2.cap).to.equal(v1.cap);
    expect(parseShareHeader(v2.shares[0] as Uint8Array).version).to.equal(2);
    expect((v2.shares[0] as Uint8Array).length).to.equal((v1.shares[0] as Uint8Array).length + 0x20 + 4);
    expect(
      (await collect(decodeImmutable(v2.cap, [undefined, v2.shares[1], v2.shares[2], v2.shares[3]]))).equals(
        data,
      ),
    ).to.equal(true);
  });

  it('a single-use AsyncIterable is collected for convergent encoding', async () => {
    const data = randomBytes(5000);
    async function* once(): AsyncIterable<Uint8Array> {
      yield data.subarray(0, 1234);
      yield data.subarray(1234);
    }
    const a = await encodeImmutable(once(), { convergenceSecret: secret });
    const b = await encodeImmutable(data, { convergenceSecret: secret });
    expect(a.cap).to.equal(b.cap);
  });

  it('the streaming planner refuses a single-use source it would need to read twice', async () => {
    async function* once(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(100);
    }
    // larger than one maximum segment, so pass 1 cannot keep the data in memory
    const plan = await planImmutableUpload(once(), { convergenceSecret: secret, maxSegmentSize: 64 });
    expect(plan.kind).to.equal('CHK');
    if (plan.kind !== 'CHK') return;
    let error: unknown;
    try {
      await writeImmutableShares(plan, []);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ChkSourceError);
    let error2: unknown;
    try {
      await planImmutableUpload(once());
    } catch (e) {
      error2 = e;
    }
    expect(error2).to.be.instanceOf(ChkSourceError);
  });

  it('a source that changes between passes is caught and the sinks are aborted', async () => {
    let pass = 0;
    const source = async function* (): AsyncIterable<Uint8Array> {
      pass++;
      const data = new Uint8Array(5000).fill(pass);
      yield data;
    };
    const plan = await planImmutableUpload(source, { convergenceSecret: secret, maxSegmentSize: 1024 });
    if (plan.kind !== 'CHK') throw new Error('expected CHK');
    let aborted = 0;
    const sinks: ShareSink[] = Array.from({ length: 10 }, () => {
      const m = new MemoryShareSink(plan.layout.shareSize);
      return { write: (o, d) => m.write(o, d), close: () => m.close(), abort: () => void aborted++ };
    });
    let error: unknown;
    try {
      await writeImmutableShares(plan, sinks);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ChkSourceError);
    expect(aborted).to.equal(10);
  });

  it('a source shorter than its declared size is an error', async () => {
    async function* once(): AsyncIterable<Uint8Array> {
      yield new Uint8Array(100);
    }
    const plan = await planImmutableUpload(once(), { size: 200 });
    if (plan.kind !== 'CHK') throw new Error('expected CHK');
    let error: unknown;
    try {
      await writeImmutableShares(plan, []);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ChkSourceError);
    expect((error as Error).message).to.match(/100 bytes, expected 200/);
  });

  it('writes only the shares that have sinks, with the same bytes', async () => {
    const data = randomBytes(7000);
    const full = await encodeImmutable(data, { convergenceSecret: secret });
    const plan = await planImmutableUpload(data, { convergenceSecret: secret });
    if (plan.kind !== 'CHK') throw new Error('expected CHK');
    const sink = new MemoryShareSink(plan.layout.shareSize);
    const result = await writeImmutableShares(plan, new Map([[4, sink]]));
    expect(sink.complete).to.equal(true);
    expect(Buffer.from(sink.bytes).equals(Buffer.from(full.shares[4] as Uint8Array))).to.equal(true);
    expect(createHash('sha256').update(plan.storageIndex).digest('hex')).to.equal(
      createHash('sha256').update(result.storageIndex).digest('hex'),
    );
  });

  it('a cap whose UEB hash matches no share fails with NotEnoughSharesError', async () => {
    const enc = await encodeImmutable(randomBytes(500), { convergenceSecret: secret });
    const cap = parseCap(enc.cap);
    if (cap.kind !== 'CHK') throw new Error('expected CHK');
    const wrong = { ...cap, uebHash: new Uint8Array(32) };
    let error: unknown;
    try {
      await collect(decodeImmutable(wrong, enc.shares));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NotEnoughSharesError);
    expect((error as NotEnoughSharesError).failures).to.have.length(10);
  });

  it('decoding honours an aborted signal', async () => {
    const enc = await encodeImmutable(randomBytes(5000), { convergenceSecret: secret });
    const controller = new AbortController();
    controller.abort();
    let error: unknown;
    try {
      await collect(decodeImmutable(enc.cap, enc.shares, { signal: controller.signal }));
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AbortError);
  });

  it('refuses mutable caps', () => {
    expect(() => decodeImmutable(`URI:SSK:${'a'.repeat(26)}:${'a'.repeat(52)}`, [])).to.throw(/CHK or LIT/);
  });
});

describe('storage/chk: ranged decoding', () => {
  it('returns exactly the requested byte range, reading only the segments it needs', async () => {
    const data = randomBytes(10_000);
    const enc = await encodeImmutable(data, { convergenceSecret: secret, maxSegmentSize: 999 });
    const ranges: [number, number | undefined][] = [
      [0, 1],
      [0, 10_000],
      [998, 3],
      [999, 999],
      [5000, undefined],
      [9999, 50],
      [10_000, 5],
      [1234, 0],
    ];
    for (const [offset, length] of ranges) {
      const got = await collect(decodeImmutable(enc.cap, enc.shares, { offset, length }));
      const want = data.subarray(offset, length === undefined ? undefined : offset + length);
      expect(got.equals(want), `offset ${offset} length ${length}`).to.equal(true);
    }
  });

  it('a range avoids a corrupt block outside it', async () => {
    const data = randomBytes(10_000);
    const enc = await encodeImmutable(data, {
      convergenceSecret: secret,
      maxSegmentSize: 999,
      needed: 2,
      total: 2,
    });
    const share0 = (enc.shares[0] as Uint8Array).slice();
    const h = parseShareHeader(share0);
    share0[h.offsets.data + 3] = (share0[h.offsets.data + 3] as number) ^ 1; // segment 0
    const got = await collect(
      decodeImmutable(enc.cap, [share0, enc.shares[1]], { offset: 2000, length: 100 }),
    );
    expect(got.equals(data.subarray(2000, 2100))).to.equal(true);
  });
});
