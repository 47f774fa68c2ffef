import { expect } from 'chai';
import { happinessOf, maximumMatching } from '../../../src/storage/client/matching.js';
import {
  type PlacementServer,
  permuteServers,
  planPlacement,
} from '../../../src/storage/client/placement.js';

const server = (id: string, existing: number[] = [], writable = true): PlacementServer => ({
  id,
  writable,
  existingShares: new Set(existing),
});

describe('servers-of-happiness', () => {
  it('a maximum matching finds the augmenting path a greedy choice would miss', () => {
    // Server 0 could take share 0 or 1; server 1 only share 0. Greedy 0->0 leaves server 1 unmatched.
    const m = maximumMatching([
      { server: 0, share: 0 },
      { server: 0, share: 1 },
      { server: 1, share: 0 },
    ]);
    expect(m.size).to.equal(2);
    expect(m.get(0)).to.equal(1);
    expect(m.get(1)).to.equal(0);
  });

  it('the spec example: every server holding all k shares is only k-happy', () => {
    const layout = new Map<number, string[]>();
    const all = Array.from({ length: 10 }, (_, i) => `s${i}`);
    for (const share of [0, 1, 2]) layout.set(share, all);
    expect(happinessOf(layout)).to.equal(3);
  });

  it('places 10 shares on 5 empty servers with happiness 5, two shares each', () => {
    const servers = ['a', 'b', 'c', 'd', 'e'].map((id) => server(id));
    const p = planPlacement(servers, 10);
    expect(p.happiness).to.equal(5);
    expect(p.upload.size).to.equal(10);
    expect(p.unplaced).to.deep.equal([]);
    const counts = new Map<string, number>();
    for (const id of p.upload.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect([...counts.values()]).to.deep.equal([2, 2, 2, 2, 2]);
  });

  it('places one share per server when there are at least N servers, earlier servers first', () => {
    const servers = Array.from({ length: 12 }, (_, i) => server(`s${i}`));
    const p = planPlacement(servers, 10);
    expect(p.happiness).to.equal(10);
    expect(new Set(p.upload.values())).to.deep.equal(new Set(servers.slice(0, 10).map((s) => s.id)));
  });

  it('reuses shares already on servers (renew, not upload), also on read-only servers', () => {
    const servers = [server('ro', [0], false), server('has1', [1]), server('empty')];
    const p = planPlacement(servers, 3);
    expect(p.renew.get(0)).to.equal('ro');
    expect(p.renew.get(1)).to.equal('has1');
    expect(p.upload.get(2)).to.equal('empty');
    expect(p.happiness).to.equal(3);
  });

  it('reports unplaced shares and low happiness when no server is writable', () => {
    const p = planPlacement([server('ro', [], false)], 4);
    expect(p.unplaced).to.deep.equal([0, 1, 2, 3]);
    expect(p.happiness).to.equal(0);
  });

  it('a single server gets every share with happiness 1', () => {
    const p = planPlacement([server('only')], 10);
    expect(p.upload.size).to.equal(10);
    expect(p.happiness).to.equal(1);
  });

  it('permutes servers by SHA-1(storage index || seed), differently per file', () => {
    const servers = Array.from({ length: 8 }, (_, i) => ({
      name: `s${i}`,
      permutationSeed: new Uint8Array([i]),
    }));
    const a = permuteServers(servers, new Uint8Array(16).fill(1)).map((s) => s.name);
    const b = permuteServers(servers, new Uint8Array(16).fill(2)).map((s) => s.name);
    expect(a).to.have.members(servers.map((s) => s.name));
    expect(a).to.not.deep.equal(b);
    expect(permuteServers(servers, new Uint8Array(16).fill(1)).map((s) => s.name)).to.deep.equal(a);
  });

  it('rejects an impossible share count', () => {
    expect(() => planPlacement([server('a')], 0)).to.throw(RangeError, /totalShares/);
    expect(() => planPlacement([server('a')], 257)).to.throw(RangeError, /totalShares/);
  });
});
