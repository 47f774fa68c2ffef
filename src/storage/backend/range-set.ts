/**
 * A set of disjoint half-open byte ranges, used to track which parts of an immutable upload have arrived
 * (the `required` ranges of a GBS PATCH reply are the complement).
 *
 * @module
 */
import type { ByteRange } from './backend.js';

/** Disjoint, sorted, coalesced ranges. */
export class RangeSet {
  private ranges: ByteRange[] = [];

  /** Adds `[begin, end)`, merging with touching or overlapping ranges. */
  add(begin: number, end: number): void {
    if (end <= begin) return;
    const next: ByteRange[] = [];
    let merged: ByteRange = { begin, end };
    for (const r of this.ranges) {
      if (r.end < merged.begin || r.begin > merged.end) next.push(r);
      else merged = { begin: Math.min(r.begin, merged.begin), end: Math.max(r.end, merged.end) };
    }
    next.push(merged);
    next.sort((a, b) => a.begin - b.begin);
    this.ranges = next;
  }

  /** The parts of `[begin, end)` already in the set. */
  intersect(begin: number, end: number): ByteRange[] {
    const out: ByteRange[] = [];
    for (const r of this.ranges) {
      const b = Math.max(r.begin, begin);
      const e = Math.min(r.end, end);
      if (b < e) out.push({ begin: b, end: e });
    }
    return out;
  }

  /** Total number of bytes covered. */
  size(): number {
    return this.ranges.reduce((sum, r) => sum + (r.end - r.begin), 0);
  }

  /** The parts of `[0, total)` not in the set. */
  missing(total: number): ByteRange[] {
    const out: ByteRange[] = [];
    let cursor = 0;
    for (const r of this.ranges) {
      if (r.begin > cursor) out.push({ begin: cursor, end: Math.min(r.begin, total) });
      cursor = Math.max(cursor, r.end);
    }
    if (cursor < total) out.push({ begin: cursor, end: total });
    return out.filter((r) => r.begin < r.end);
  }
}
