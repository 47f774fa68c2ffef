import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { LEASE_DURATION_SECONDS } from '../../../src/storage/backend/lease-record.js';
import { filterLeases, readLeases } from '../../../src/storage/backend/share-file.js';
import { bucketDir, formatStorageIndex } from '../../../src/storage/backend/storage-index.js';
import { LeaseCrawler } from '../../../src/storage/lease/crawler.js';

const DAY = 24 * 3600;
const T0 = 1_800_000_000;
const secret = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const si = (n: number): Uint8Array => new Uint8Array(16).fill(n);

describe('lease crawler', () => {
  let dir: string;
  let clock: number;
  let backend: DiskBackend;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-crawler-'));
    clock = T0;
    backend = await openDiskBackend({
      storageDir: dir,
      nodeId: new Uint8Array(20).fill(3),
      now: () => clock,
    });
  });
  afterEach(async () => {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function immutable(n: number, renew = secret(1)): Promise<string> {
    await backend.allocateBuckets(si(n), {
      renewSecret: renew,
      cancelSecret: secret(2),
      uploadSecret: secret(3),
      shareNumbers: [0],
      allocatedSize: 8,
    });
    await backend.writeImmutable(si(n), 0, secret(3), 0, 8, [new Uint8Array(8).fill(n)]);
    return join(bucketDir(dir, formatStorageIndex(si(n))), '0');
  }

  async function mutable(n: number): Promise<string> {
    await backend.readTestWrite(si(n), {
      writeEnabler: secret(4),
      renewSecret: secret(1),
      cancelSecret: secret(2),
      testWriteVectors: new Map([
        [1, { test: [], write: [{ offset: 0, data: new Uint8Array(5).fill(n) }], newLength: null }],
      ]),
      readVector: [],
    });
    return join(bucketDir(dir, formatStorageIndex(si(n))), '1');
  }

  it('with expiration off (the default) deletes nothing but gives lease-less shares a starter lease', async () => {
    const bare = await immutable(1);
    const kept = await mutable(2);
    expect(await filterLeases(bare, () => false)).to.equal(0);
    clock = T0 + 100 * DAY;
    const crawler = new LeaseCrawler({ backend, now: () => clock });
    expect(await crawler.tick()).to.equal(true);
    const state = await crawler.getState();
    expect(state.lastComplete).to.include({
      bucketsExamined: 2,
      sharesExamined: 2,
      starterLeasesAdded: 1,
      sharesDeleted: 0,
    });
    const leases = (await readLeases(bare)).leases;
    expect(leases).to.have.length(1);
    expect(leases[0]!.expirationTime).to.equal(clock + LEASE_DURATION_SECONDS);
    expect((await readLeases(kept)).leases).to.have.length(1);
  });

  it('in age mode removes expired leases and deletes shares left without one, immutable and mutable', async () => {
    await immutable(1);
    await mutable(2);
    await immutable(3);
    clock = T0 + 20 * DAY;
    await backend.addOrRenewLease(si(3), secret(1), secret(2)); // renewed: expires at T0 + 51 days
    clock = T0 + 32 * DAY;
    const crawler = new LeaseCrawler({ backend, now: () => clock, policy: { enabled: true, mode: 'age' } });
    await crawler.tick();
    expect(await backend.listImmutable(si(1))).to.deep.equal([]);
    expect(await backend.listMutable(si(2))).to.deep.equal([]);
    expect(await backend.listImmutable(si(3))).to.deep.equal([0]);
    const state = await crawler.getState();
    expect(state.lastComplete).to.include({ sharesDeleted: 2, leasesExpired: 2 });
  });

  it('honours override_lease_duration, share types and cutoff-date mode', async () => {
    await immutable(1);
    await mutable(2);
    clock = T0 + 3 * DAY;
    const short = new LeaseCrawler({
      backend,
      now: () => clock,
      policy: { enabled: true, mode: 'age', overrideLeaseDurationSeconds: 2 * DAY, sharetypes: ['mutable'] },
      statePath: join(dir, 'a.json'),
    });
    await short.tick();
    expect(await backend.listImmutable(si(1))).to.deep.equal([0]);
    expect(await backend.listMutable(si(2))).to.deep.equal([]);
    const cutoff = new LeaseCrawler({
      backend,
      now: () => clock,
      policy: { enabled: true, mode: 'cutoff-date', cutoffDate: T0 + DAY },
      statePath: join(dir, 'b.json'),
    });
    await cutoff.tick();
    expect(await backend.listImmutable(si(1))).to.deep.equal([]);
  });

  it('does bounded work per tick and resumes after a restart from its state file', async () => {
    for (let n = 1; n <= 5; n++) await immutable(n);
    clock = T0 + 40 * DAY;
    const policy = { enabled: true, mode: 'age' as const };
    const first = new LeaseCrawler({ backend, now: () => clock, policy, bucketsPerTick: 2 });
    expect(await first.tick()).to.equal(false);
    const remainingAfterOne = (
      await Promise.all([1, 2, 3, 4, 5].map((n) => backend.listImmutable(si(n))))
    ).filter((l) => l.length > 0);
    expect(remainingAfterOne).to.have.length(3);
    // "Restart": a new crawler on the same state file continues where the first stopped.
    const second = new LeaseCrawler({ backend, now: () => clock, policy, bucketsPerTick: 2 });
    const resumed = await second.getState();
    expect(resumed.position).to.be.a('string');
    expect(resumed.current.bucketsExamined).to.equal(2);
    expect(await second.tick()).to.equal(false);
    expect(await second.tick()).to.equal(true);
    const state = await second.getState();
    expect(state.cycle).to.equal(1);
    expect(state.lastComplete).to.include({ bucketsExamined: 5, sharesDeleted: 5 });
  });

  it('starts a fresh cycle when the state file is corrupt', async () => {
    await immutable(1);
    await writeFile(join(dir, 'lafs-lease-crawler.json'), '{not json');
    const crawler = new LeaseCrawler({ backend, now: () => clock });
    expect((await crawler.getState()).cycle).to.equal(0);
    expect(await crawler.tick()).to.equal(true);
  });

  it('runs on timers and stops cleanly', async () => {
    await immutable(1);
    const errors: unknown[] = [];
    const crawler = new LeaseCrawler({
      backend,
      now: () => clock,
      tickIntervalMs: 5,
      cycleIntervalMs: 5,
      onError: (e) => errors.push(e),
    });
    crawler.start();
    for (let i = 0; i < 200 && (await crawler.getState()).cycle < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    await crawler.stop();
    expect((await crawler.getState()).cycle).to.be.at.least(2);
    expect(errors).to.deep.equal([]);
  });
});
