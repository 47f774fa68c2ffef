import { expect } from 'chai';
import {
  AnnouncementTable,
  backoffDelay,
  nodeKeyFromSeed,
  signAnnouncement,
  verifyAnnouncement,
} from '../../../src/node/introducer/index.js';

const key = nodeKeyFromSeed(new Uint8Array(32).fill(1));
const other = nodeKeyFromSeed(new Uint8Array(32).fill(2));

function ann(seqnum: number, nickname = 'n', k = key, service = 'storage') {
  return verifyAnnouncement(signAnnouncement({ 'service-name': service, nickname, seqnum }, k), 'test');
}

describe('introducer: announcement table (seqnum ordering)', () => {
  it('keeps the newest announcement per server and refuses replays', () => {
    const table = new AnnouncementTable(10);
    expect(table.offer(ann(5))).to.equal('new');
    expect(table.offer(ann(5))).to.equal('duplicate');
    expect(table.offer(ann(4, 'older'))).to.equal('stale');
    expect(table.offer(ann(5, 'same seqnum, other body'))).to.equal('stale');
    expect(table.offer(ann(6, 'newer'))).to.equal('updated');
    expect(table.get('storage', key.keyString)?.ann.nickname).to.equal('newer');
    expect(table.offer(ann(1, 'x', key, 'helper'))).to.equal('new');
    expect(table.offer(ann(1, 'x', other))).to.equal('new');
    expect(table.list('storage').map((e) => e.serverId)).to.deep.equal([key.keyString, other.keyString]);
    expect(table.size).to.equal(3);
  });

  it('lists changes after a cursor, oldest first', () => {
    const table = new AnnouncementTable(10);
    table.offer(ann(1));
    const cursor = table.lastChange;
    table.offer(ann(1, 'o', other));
    table.offer(ann(2));
    expect(table.list('storage', cursor).map((e) => e.seqnum)).to.deep.equal([1, 2]);
    expect(table.list('storage', table.lastChange)).to.deep.equal([]);
  });

  it('is bounded, and lets signed announcements replace cached ones whatever their seqnum', () => {
    const table = new AnnouncementTable(1);
    expect(table.addCached('storage', key.keyString, { 'service-name': 'storage', seqnum: 99 }, 0)).to.equal(
      true,
    );
    expect(table.offer(ann(1, 'o', other))).to.equal('full');
    expect(table.offer(ann(3))).to.equal('updated');
    expect(table.get('storage', key.keyString)?.signed).to.not.equal(undefined);
    expect(table.addCached('storage', key.keyString, { 'service-name': 'storage' }, 0)).to.equal(false);
  });
});

describe('introducer: reconnection back-off', () => {
  it('grows exponentially within [ceiling/2, ceiling] and stops at the maximum', () => {
    const opts = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect(backoffDelay(0, opts, () => 0)).to.equal(50);
    expect(backoffDelay(0, opts, () => 0.999999)).to.be.closeTo(100, 0.01);
    expect(backoffDelay(3, opts, () => 0)).to.equal(400);
    expect(backoffDelay(50, opts, () => 0.5)).to.equal(750);
    expect(backoffDelay(10_000, opts, () => 1)).to.equal(1000);
    expect(() => backoffDelay(0, { initialMs: 0 })).to.throw(RangeError);
  });
});
