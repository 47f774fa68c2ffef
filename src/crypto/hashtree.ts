/**
 * Merkle hash trees exactly as Tahoe-LAFS builds and checks them (Tahoe `hashtree.py`; spec
 * `docs/specifications/file-encoding.rst`, "Hash Trees").
 *
 * The tree is complete and binary, stored breadth-first: node 0 is the root, node i has children 2i+1 and 2i+2,
 * and the leaves occupy the last `P` positions, where `P` is the number of leaves rounded up to a power of two.
 * Missing leaves `j` (from the real leaf count up to `P`) are padded with `emptyLeafHash(j)`. Internal nodes are
 * `merklePairHash(left, right)`.
 *
 * @module
 */
import { BadHashError, NotEnoughHashesError } from './errors.js';
import { emptyLeafHash, merklePairHash } from './hashutil.js';

/** The smallest power of two >= x (and >= 1) (Tahoe `roundup_pow2`). */
export function roundUpPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** Number of nodes in a tree with `numLeaves` leaves after padding: `2P - 1`. */
export function hashTreeSize(numLeaves: number): number {
  return 2 * roundUpPow2(numLeaves) - 1;
}

function parentOf(i: number): number {
  return (i - 1) >> 1;
}
function siblingOf(i: number): number {
  return i % 2 === 1 ? i + 1 : i - 1;
}

/**
 * Builds the complete tree over `leaves` and returns all `2P-1` node hashes in Tahoe's order (root first),
 * which is also how the block and crypttext hash trees are stored in a share (Tahoe `HashTree(L)`, `list(t)`).
 */
export function buildHashTree(leaves: readonly Uint8Array[]): Uint8Array[] {
  if (leaves.length === 0) throw new RangeError('a hash tree needs at least one leaf');
  const p = roundUpPow2(leaves.length);
  const nodes: Uint8Array[] = new Array<Uint8Array>(2 * p - 1);
  const first = p - 1;
  for (let j = 0; j < p; j++) nodes[first + j] = leaves[j] ?? emptyLeafHash(j);
  for (let i = first - 1; i >= 0; i--) {
    nodes[i] = merklePairHash(nodes[2 * i + 1] as Uint8Array, nodes[2 * i + 2] as Uint8Array);
  }
  return nodes;
}

/**
 * The node indices needed to validate leaf `leafIndex` against the root: the sibling of the leaf, then the
 * sibling of each ancestor, bottom up (Tahoe `needed_for`); the leaf itself is appended when `includeLeaf`.
 * The root (0) is never included.
 */
export function neededHashes(numLeaves: number, leafIndex: number, includeLeaf = false): number[] {
  const first = roundUpPow2(numLeaves) - 1;
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= numLeaves) {
    throw new RangeError(`leaf ${leafIndex} out of range for a tree of ${numLeaves} leaves`);
  }
  const out: number[] = [];
  let here = first + leafIndex;
  while (here !== 0) {
    out.push(siblingOf(here));
    here = parentOf(here);
  }
  if (includeLeaf) out.push(first + leafIndex);
  return out;
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * A partially known hash tree that accepts hashes from an untrusted source only when they chain up to a
 * trusted root (Tahoe `IncompleteHashTree`). Set the root first (from a trusted place: the cap, the UEB), then
 * for each leaf give the leaf hash with the hashes {@link IncompleteHashTree.neededHashes} asks for.
 */
export class IncompleteHashTree {
  /** Number of real (unpadded) leaves. */
  readonly numLeaves: number;
  /** Index of leaf 0 in node numbering. */
  readonly firstLeaf: number;
  readonly #nodes: (Uint8Array | undefined)[];
  readonly #label: string;

  /** `label` names the tree in error messages (e.g. `"block hash tree of share 3"`). */
  constructor(numLeaves: number, label = 'hash tree') {
    if (!Number.isInteger(numLeaves) || numLeaves < 1) {
      throw new RangeError(`a hash tree needs at least one leaf, got ${numLeaves}`);
    }
    this.numLeaves = numLeaves;
    this.firstLeaf = roundUpPow2(numLeaves) - 1;
    this.#nodes = new Array<Uint8Array | undefined>(2 * this.firstLeaf + 1).fill(undefined);
    this.#label = label;
  }

  /** Total number of nodes. */
  get size(): number {
    return this.#nodes.length;
  }

  /** The known hash of node `i`, if any. */
  get(i: number): Uint8Array | undefined {
    return this.#nodes[i];
  }

  /** The known hash of leaf `j`, if any. */
  getLeaf(j: number): Uint8Array | undefined {
    return this.#nodes[this.firstLeaf + j];
  }

  /** Node indices still unknown that are needed to validate leaf `leafIndex` (Tahoe `needed_hashes`). */
  neededHashes(leafIndex: number, includeLeaf = false): number[] {
    return neededHashes(this.numLeaves, leafIndex, includeLeaf).filter((i) => this.#nodes[i] === undefined);
  }

  #name(i: number): string {
    let name = `node ${i} of ${this.#nodes.length} in the ${this.#label}`;
    if (i >= this.firstLeaf)
      name += ` (leaf ${i - this.firstLeaf} of ${this.#nodes.length - this.firstLeaf})`;
    return name;
  }

  /**
   * Adds node hashes (`hashes`, by node index) and leaf hashes (`leaves`, by leaf index), all or nothing.
   * Every new hash must chain up to a known (trusted) node: a mismatch raises {@link BadHashError} naming the
   * node whose recorded hash disagrees; a missing sibling on the way raises {@link NotEnoughHashesError}. On
   * error the tree is left unchanged.
   */
  setHashes(
    hashes: ReadonlyMap<number, Uint8Array> = new Map(),
    leaves: ReadonlyMap<number, Uint8Array> = new Map(),
  ): void {
    const fresh = new Map<number, Uint8Array>();
    const add = (i: number, h: Uint8Array): void => {
      if (!Number.isInteger(i) || i < 0 || i >= this.#nodes.length) {
        throw new RangeError(
          `node index ${i} out of range for the ${this.#label} (${this.#nodes.length} nodes)`,
        );
      }
      if (h.length !== 32) throw new RangeError(`${this.#name(i)}: a hash must be 32 bytes, got ${h.length}`);
      const known = this.#nodes[i] ?? fresh.get(i);
      if (known !== undefined) {
        if (!equalBytes(known, h)) throw new BadHashError(`${this.#name(i)}: hash mismatch`, i);
        if (this.#nodes[i] !== undefined) return;
      }
      fresh.set(i, h);
    };
    for (const [i, h] of hashes) add(i, h);
    for (const [j, h] of leaves) {
      if (!Number.isInteger(j) || j < 0 || j >= this.numLeaves) {
        throw new RangeError(`leaf ${j} out of range for the ${this.#label} (${this.numLeaves} leaves)`);
      }
      add(this.firstLeaf + j, h);
    }
    if (fresh.size === 0) return;
    if (this.#nodes[0] === undefined && !fresh.has(0)) {
      throw new NotEnoughHashesError(`the root of the ${this.#label} is not known`, 0);
    }

    const lookup = (i: number): Uint8Array | undefined => this.#nodes[i] ?? fresh.get(i);
    // Walk each new hash upwards: compute its parent from it and its sibling; stop at the first parent already
    // known (which must match). Computed parents become new hashes, so every path ends at a trusted node.
    const pending = [...fresh.keys()].sort((a, b) => a - b); // deepest (largest index) popped first
    const walked = new Set<number>();
    while (pending.length > 0) {
      let i = pending.pop() as number;
      while (i !== 0 && !walked.has(i)) {
        walked.add(i);
        const sib = siblingOf(i);
        const sibHash = lookup(sib);
        if (sibHash === undefined) {
          throw new NotEnoughHashesError(`${this.#name(sib)} is needed to validate ${this.#name(i)}`, sib);
        }
        const self = lookup(i) as Uint8Array;
        const computed = i % 2 === 1 ? merklePairHash(self, sibHash) : merklePairHash(sibHash, self);
        const p = parentOf(i);
        const known = lookup(p);
        if (known !== undefined) {
          if (!equalBytes(known, computed)) {
            throw new BadHashError(
              `${this.#name(p)}: the hash computed from its children does not match (via ${this.#name(i)})`,
              p,
            );
          }
          if (this.#nodes[p] !== undefined) break;
        } else {
          fresh.set(p, computed);
        }
        i = p;
      }
    }
    for (const [i, h] of fresh) this.#nodes[i] = h;
  }
}
