import { createHash, randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { expect } from 'chai';
import { encodeImmutable } from '../../../src/storage/chk/encode-immutable.js';
import { downloadImmutable } from '../../../src/storage/client/download.js';
import { acquireAll, InFlightLimit } from '../../../src/storage/client/in-flight-limit.js';
import { LeaseSecrets } from '../../../src/storage/client/lease-secrets.js';
import { uploadImmutable } from '../../../src/storage/client/upload.js';
import { rejection } from '../../support/rejection.js';
import { countingGrid } from './counting-api.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');
const KiB = 1024;

describe('InFlightLimit', () => {
  it('grants in order and never exceeds the limit', async () => {
    const limit = new InFlightLimit(100, 'test');
    const order: string[] = [];
    await limit.acquire(60);
    const big = limit.acquire(50).then(() => order.push('big'));
    const small = limit.acquire(10).then(() => order.push('small'));
    await new Promise((r) => setImmediate(r));
    // 10 would fit, but the 50-byte waiter came first.
    expect(order).to.deep.equal([]);
    limit.release(60);
    await Promise.all([big, small]);
    expect(order).to.deep.equal(['big', 'small']);
    expect(limit.inUse).to.equal(60);
    expect(limit.peak).to.equal(60);
  });

  it('lets one reservation larger than the limit through, alone', async () => {
    const limit = new InFlightLimit(10, 'test');
    await limit.acquire(25);
    expect(limit.inUse).to.equal(25);
    let second = false;
    const next = limit.acquire(1).then(() => {
      second = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(second).to.equal(false);
    limit.release(25);
    await next;
    expect(second).to.equal(true);
  });

  it('an aborted wait reserves nothing, and acquireAll gives back what it took', async () => {
    const a = new InFlightLimit(100, 'a');
    const b = new InFlightLimit(100, 'b');
    await b.acquire(100);
    const controller = new AbortController();
    const waiting = acquireAll([a, b], 40, { signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    expect(a.inUse).to.equal(40);
    controller.abort();
    const error = await waiting.catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AbortError');
    expect(a.inUse).to.equal(0);
    expect(b.inUse).to.equal(100);
  });

  it('many waiters under one signal hold one listener on it, and all reject when it fires', async () => {
    const limit = new InFlightLimit(10, 'test');
    await limit.acquire(10);
    const controller = new AbortController();
    const waits = Array.from({ length: 20 }, () => limit.acquire(5, { signal: controller.signal }));
    // Twenty listeners would trip Node's MaxListenersExceededWarning during a large upload.
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
    controller.abort();
    const errors = await Promise.all(waits.map((w) => rejection(w)));
    expect(errors.map((e) => e.name)).to.deep.equal(new Array(20).fill('AbortError'));
    expect(limit.inUse).to.equal(10);
  });

  it('rejects bad sizes with a labelled error', () => {
    expect(() => new InFlightLimit(0, 'upload limit')).to.throw(RangeError, /upload limit/);
  });
});

describe('grid transfers hold bounded data in flight (counted in a fake server)', function () {
  this.timeout(60_000);
  const leaseSecrets = new LeaseSecrets(new Uint8Array(32).fill(7));
  const convergenceSecret = new Uint8Array(16).fill(3);
  const data = randomBytes(1_500_000);
  // 64 KiB segments: 23 segments, blocks of about 21 KiB, so each 64 KiB chunk carries several segments.
  const encoding = { convergenceSecret, needed: 3, total: 10, maxSegmentSize: 64 * KiB };

  it('upload: per-server and overall limits hold, requests overlap, and the shares are byte-identical', async () => {
    const { servers, grid, counter } = countingGrid(5);
    const chunkSize = 64 * KiB;
    const result = await uploadImmutable(data, grid, {
      ...encoding,
      leaseSecrets,
      happy: 5,
      chunkSize,
      maxInFlightPerServer: 2 * chunkSize,
      maxInFlight: 5 * chunkSize,
    });
    expect(result.happiness).to.equal(5);
    expect(counter.peak).to.be.at.most(5 * chunkSize);
    for (const s of servers) expect(s.own.peak, s.id).to.be.at.most(2 * chunkSize);
    // Pipelining happened: more than one request, and more than one chunk's bytes, at once.
    expect(counter.peakRequests).to.be.greaterThan(1);
    expect(counter.peak).to.be.greaterThan(chunkSize);

    const expected = await encodeImmutable(data, encoding);
    const stored = new Map<number, Uint8Array>();
    for (const s of servers) for (const [n, bytes] of s.shares) stored.set(n, bytes);
    expect(stored.size).to.equal(10);
    for (const [n, bytes] of stored)
      expect(sha256(bytes), `share ${n}`).to.equal(sha256(expected.shares[n]!));
  });

  it('upload: a limit smaller than one chunk still lets one chunk at a time through', async () => {
    const { grid, counter } = countingGrid(5);
    const chunkSize = 32 * KiB;
    await uploadImmutable(data, grid, {
      ...encoding,
      leaseSecrets,
      happy: 5,
      chunkSize,
      maxInFlightPerServer: 1,
      maxInFlight: 1,
    });
    expect(counter.peak).to.be.at.most(chunkSize);
    expect(counter.peakRequests).to.equal(1);
  });

  it('download: read-ahead overlaps requests yet stays within the limits', async () => {
    const { servers, grid, counter } = countingGrid(5);
    const { cap } = await uploadImmutable(data, grid, { ...encoding, leaseSecrets, happy: 5 });
    counter.peak = 0;
    counter.peakRequests = 0;
    for (const s of servers) s.own.peak = 0;
    const readAhead = 48 * KiB;
    const parts: Uint8Array[] = [];
    for await (const chunk of downloadImmutable(cap, grid, {
      readAhead,
      maxInFlightPerServer: readAhead,
      // Less than the k = 3 shares' first reads together, so the limit must hold some of them back.
      maxInFlight: 2 * readAhead,
    })) {
      parts.push(chunk);
    }
    expect(sha256(Buffer.concat(parts))).to.equal(sha256(data));
    expect(counter.peak).to.be.at.most(2 * readAhead);
    for (const s of servers) expect(s.own.peak, s.id).to.be.at.most(readAhead);
    expect(counter.peakRequests).to.be.greaterThan(1);
  });

  it('download: without prefetch, one request per share at a time', async () => {
    const { grid, counter } = countingGrid(5);
    const { cap } = await uploadImmutable(data, grid, { ...encoding, leaseSecrets, happy: 5 });
    counter.peak = 0;
    counter.peakRequests = 0;
    const parts: Uint8Array[] = [];
    for await (const chunk of downloadImmutable(cap, grid, { readAhead: 32 * KiB, prefetch: false })) {
      parts.push(chunk);
    }
    expect(sha256(Buffer.concat(parts))).to.equal(sha256(data));
    // The decoder reads k = 3 shares, one request each at most (shares 0-2 may share a server).
    expect(counter.peakRequests).to.be.at.most(3);
  });
});
