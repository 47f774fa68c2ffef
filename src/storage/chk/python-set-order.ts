/**
 * The iteration order of a CPython `set` of small non-negative integers, reproduced so that share hashes are
 * written in the same order as Tahoe writes them (Tahoe `immutable/encode.py` `send_all_share_hash_trees`
 * iterates over the *set* returned by `HashTree.needed_hashes`, so the byte order in a share is CPython's
 * set order, not sorted order).
 *
 * Model (CPython `Objects/setobject.c`, unchanged in this respect from 3.6 through 3.13): an int hashes to
 * itself; the table starts with 8 slots; a new key goes to slot `hash & mask`, then (when at least 9 slots
 * remain after it) the next 9 slots linearly, then `i = (5i + 1 + perturb) & mask` with `perturb >>= 5`.
 * After an insertion that makes `fill * 5 >= mask * 3` the table is rebuilt at the smallest power of two
 * above `4 * used`, reinserting in old slot order. Iteration visits slots in index order. For the at most 9
 * keys a share hash list holds, the 3.6-3.10 threshold (`fill * 3 >= mask * 2`) gives the same tables.
 *
 * @module
 */

const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5;

function insertClean(table: (number | undefined)[], key: number): void {
  const mask = table.length - 1;
  let perturb = key;
  let i = key & mask;
  for (;;) {
    if (table[i] === undefined) {
      table[i] = key;
      return;
    }
    if (i + LINEAR_PROBES <= mask) {
      for (let j = 1; j <= LINEAR_PROBES; j++) {
        if (table[i + j] === undefined) {
          table[i + j] = key;
          return;
        }
      }
    }
    perturb = Math.floor(perturb / 2 ** PERTURB_SHIFT);
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/** Returns `values` deduplicated in the order `for x in set(values)` would visit them in CPython. */
export function pythonSetOrder(values: readonly number[]): number[] {
  let table: (number | undefined)[] = new Array<number | undefined>(8).fill(undefined);
  let used = 0;
  for (const key of values) {
    if (!Number.isSafeInteger(key) || key < 0)
      throw new RangeError(`pythonSetOrder: ${key} is not a small non-negative integer`);
    if (table.includes(key)) continue;
    insertClean(table, key);
    used++;
    const mask = table.length - 1;
    if (used * 5 >= mask * 3) {
      let size = 8;
      while (size <= used * 4) size *= 2;
      const old = table;
      table = new Array<number | undefined>(size).fill(undefined);
      for (const k of old) if (k !== undefined) insertClean(table, k);
    }
  }
  return table.filter((k): k is number => k !== undefined);
}
