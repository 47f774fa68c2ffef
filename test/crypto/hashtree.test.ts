import { expect } from 'chai';
import { BadHashError, NotEnoughHashesError } from '../../src/crypto/errors.js';
import {
  buildHashTree,
  hashTreeSize,
  IncompleteHashTree,
  neededHashes,
  roundUpPow2,
} from '../../src/crypto/hashtree.js';
import { emptyLeafHash, merklePairHash, taggedHashLeaf } from './support/leaves.js';

const leaves = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => taggedHashLeaf(i));
const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array(0)).toString('hex');

describe('crypto/hashtree', () => {
  it('rounds up to powers of two', () => {
    expect([1, 2, 3, 4, 5, 8, 9].map(roundUpPow2)).to.deep.equal([1, 2, 4, 4, 8, 8, 16]);
    expect(hashTreeSize(10)).to.equal(31);
    expect(hashTreeSize(1)).to.equal(1);
  });

  it('pads with the empty-leaf hash of the leaf index and pairs upwards', () => {
    const l = leaves(3);
    const t = buildHashTree(l);
    expect(t).to.have.length(7);
    const [l0, l1, l2] = l as [Uint8Array, Uint8Array, Uint8Array];
    expect(hex(t[6])).to.equal(hex(emptyLeafHash(3)));
    expect(hex(t[1])).to.equal(hex(merklePairHash(l0, l1)));
    expect(hex(t[2])).to.equal(hex(merklePairHash(l2, emptyLeafHash(3))));
    expect(hex(t[0])).to.equal(hex(merklePairHash(t[1] as Uint8Array, t[2] as Uint8Array)));
  });

  it('a one-leaf tree is just the leaf', () => {
    const l = leaves(1);
    expect(hex(buildHashTree(l)[0])).to.equal(hex(l[0]));
  });

  it('lists the sibling chain bottom-up, as Tahoe needed_for does', () => {
    expect(neededHashes(8, 0)).to.deep.equal([8, 4, 2]);
    expect(neededHashes(8, 0, true)).to.deep.equal([8, 4, 2, 7]);
    expect(neededHashes(10, 9, true)).to.deep.equal([23, 12, 6, 1, 24]);
    expect(neededHashes(1, 0, true)).to.deep.equal([0]);
  });

  it('accepts a leaf with its chain and asks only for what it lacks', () => {
    const l = leaves(5);
    const t = buildHashTree(l);
    const iht = new IncompleteHashTree(5);
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    const needed = iht.neededHashes(2);
    expect(needed).to.deep.equal(neededHashes(5, 2));
    iht.setHashes(new Map(needed.map((i) => [i, t[i] as Uint8Array])), new Map([[2, l[2] as Uint8Array]]));
    expect(hex(iht.getLeaf(2))).to.equal(hex(l[2]));
    // leaf 3 shares the subtree: only its own sibling is missing now
    expect(iht.neededHashes(3)).to.deep.equal([]);
    expect(iht.get(10)).to.not.equal(undefined);
    iht.setHashes(undefined, new Map([[3, l[3] as Uint8Array]]));
  });

  it('rejects a corrupt leaf with BadHashError and stays unchanged', () => {
    const l = leaves(4);
    const t = buildHashTree(l);
    const iht = new IncompleteHashTree(4, 'test tree');
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    const bad = new Uint8Array(l[1] as Uint8Array);
    bad[0] = (bad[0] as number) ^ 1;
    const chain = new Map(neededHashes(4, 1).map((i) => [i, t[i] as Uint8Array]));
    expect(() => iht.setHashes(chain, new Map([[1, bad]])))
      .to.throw(BadHashError, /test tree/)
      .with.property('node', 0); // the recomputed root disagrees with the trusted one
    expect(iht.get(4)).to.equal(undefined);
    expect(iht.get(2)).to.equal(undefined);
    iht.setHashes(chain, new Map([[1, l[1] as Uint8Array]]));
  });

  it('rejects a corrupt internal hash in the chain', () => {
    const l = leaves(8);
    const t = buildHashTree(l);
    const iht = new IncompleteHashTree(8);
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    const chain = new Map(neededHashes(8, 0).map((i) => [i, t[i] as Uint8Array]));
    chain.set(4, new Uint8Array(32));
    expect(() => iht.setHashes(chain, new Map([[0, l[0] as Uint8Array]]))).to.throw(BadHashError);
  });

  it('rejects a hash that conflicts with a known one', () => {
    const t = buildHashTree(leaves(2));
    const iht = new IncompleteHashTree(2);
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    expect(() => iht.setHashes(new Map([[0, new Uint8Array(32)]])))
      .to.throw(BadHashError)
      .with.property('node', 0);
  });

  it('needs the root and every sibling', () => {
    const l = leaves(4);
    const t = buildHashTree(l);
    const noRoot = new IncompleteHashTree(4);
    expect(() => noRoot.setHashes(new Map([[4, t[4] as Uint8Array]]), new Map([[0, l[0] as Uint8Array]])))
      .to.throw(NotEnoughHashesError)
      .with.property('node', 0);
    const iht = new IncompleteHashTree(4);
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    expect(() => iht.setHashes(new Map([[2, t[2] as Uint8Array]]), new Map([[0, l[0] as Uint8Array]])))
      .to.throw(NotEnoughHashesError)
      .with.property('node', 4);
  });

  it('accepts a whole tree at once', () => {
    const t = buildHashTree(leaves(13));
    const iht = new IncompleteHashTree(13);
    iht.setHashes(new Map([[0, t[0] as Uint8Array]]));
    iht.setHashes(new Map(t.map((h, i) => [i, h])));
    for (let j = 0; j < 13; j++) expect(iht.neededHashes(j, true)).to.deep.equal([]);
  });

  it('rejects out-of-range indices', () => {
    const iht = new IncompleteHashTree(4);
    expect(() => iht.setHashes(new Map([[7, new Uint8Array(32)]]))).to.throw(RangeError);
    expect(() => iht.setHashes(undefined, new Map([[4, new Uint8Array(32)]]))).to.throw(RangeError);
    expect(() => new IncompleteHashTree(0)).to.throw(RangeError);
  });
});
