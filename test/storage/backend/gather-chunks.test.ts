import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { WriteLengthMismatchError } from '../../../src/storage/backend/errors.js';
import {
  GatherBudget,
  type GatheredPiece,
  gatherChunks,
} from '../../../src/storage/backend/gather-chunks.js';

/** Splits `data` into chunks of the given sizes, cycling through them. */
function split(data: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0, i = 0; o < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    out.push(data.slice(o, o + n));
    o += n;
  }
  return out;
}

/** Collects the pieces, copying each (the gatherer reuses its buffer), and the error that ended them. */
async function collect(
  pieces: AsyncIterable<GatheredPiece>,
): Promise<{ got: GatheredPiece[]; error: unknown }> {
  const got: GatheredPiece[] = [];
  try {
    for await (const p of pieces) got.push({ offset: p.offset, data: Uint8Array.from(p.data) });
  } catch (error) {
    return { got, error };
  }
  return { got, error: undefined };
}

function joined(pieces: readonly GatheredPiece[]): Buffer {
  let expectedOffset = 0;
  for (const p of pieces) {
    expect(p.offset).to.equal(expectedOffset);
    expectedOffset += p.data.length;
  }
  return Buffer.concat(pieces.map((p) => p.data));
}

describe('gathering body chunks into larger writes', () => {
  it('yields contiguous pieces of at most the gather size whose bytes equal the body, for many splits', async () => {
    const body = randomBytes(10_000);
    for (const sizes of [[1], [7, 13], [1000], [999, 1, 1001], [4096], [3000, 5]]) {
      const chunks = split(body, sizes);
      const { got, error } = await collect(gatherChunks(chunks, body.length, 1024));
      expect(error).to.equal(undefined);
      expect(joined(got).equals(body), `split ${sizes.join(',')}`).to.equal(true);
      for (const p of got) {
        // Chunks larger than the gather size pass through whole; gathered pieces never exceed it.
        if (p.data.length > 1024) expect(chunks.some((c) => c.length === p.data.length)).to.equal(true);
      }
      // Small chunks really are gathered: far fewer pieces than chunks.
      if (Math.max(...sizes) < 100) expect(got.length).to.be.lessThan(15);
    }
  });

  it('passes a chunk at least as large as the gather size through without copying it', async () => {
    const chunks = [new Uint8Array(10).fill(1), new Uint8Array(100).fill(2), new Uint8Array(5).fill(3)];
    const seen: Uint8Array[] = [];
    for await (const p of gatherChunks(chunks, 115, 64)) seen.push(p.data);
    expect(seen.map((d) => d.length)).to.deep.equal([10, 100, 5]);
    expect(seen[1]).to.equal(chunks[1]);
  });

  it('yields the bytes received before a too-long body, then refuses it', async () => {
    const { got, error } = await collect(
      gatherChunks([new Uint8Array(6).fill(1), new Uint8Array(6).fill(2)], 10, 64),
    );
    expect(error).to.be.instanceOf(WriteLengthMismatchError);
    expect(joined(got).equals(Buffer.alloc(6, 1))).to.equal(true);
  });

  it('refuses a short body after yielding what arrived', async () => {
    const { got, error } = await collect(gatherChunks([new Uint8Array(9).fill(4)], 10, 64));
    expect(error).to.be.instanceOf(WriteLengthMismatchError);
    expect(joined(got).equals(Buffer.alloc(9, 4))).to.equal(true);
  });

  it('yields what arrived before the body stream failed, then rethrows its error', async () => {
    const failure = new Error('client went away');
    async function* body() {
      yield new Uint8Array(5).fill(7);
      yield new Uint8Array(5).fill(8);
      throw failure;
    }
    const { got, error } = await collect(gatherChunks(body(), 100, 64));
    expect(error).to.equal(failure);
    expect(joined(got).equals(Buffer.concat([Buffer.alloc(5, 7), Buffer.alloc(5, 8)]))).to.equal(true);
  });

  it('gives its buffer back to the memory bound on every path, and writes chunks as they come when refused', async () => {
    const memory = new GatherBudget(100);
    await collect(gatherChunks(split(randomBytes(300), [10]), 300, 64, memory));
    expect(memory.inUse).to.equal(0);
    for await (const _ of gatherChunks(split(randomBytes(300), [10]), 300, 64, memory)) {
      expect(memory.inUse).to.equal(64);
      break;
    }
    expect(memory.inUse).to.equal(0);
    await collect(gatherChunks([new Uint8Array(20)], 10, 64, memory));
    expect(memory.inUse).to.equal(0);
    // Bound used up: nothing is gathered, every chunk is its own piece.
    expect(memory.tryTake(100)).to.equal(true);
    const { got } = await collect(gatherChunks(split(randomBytes(50), [10]), 50, 64, memory));
    expect(got.map((p) => p.data.length)).to.deep.equal([10, 10, 10, 10, 10]);
    memory.give(100);
    expect(memory.inUse).to.equal(0);
  });

  it('rejects a gather size that is not a positive integer', async () => {
    const { error } = await collect(gatherChunks([], 0, 0));
    expect(error).to.be.instanceOf(RangeError);
  });
});
