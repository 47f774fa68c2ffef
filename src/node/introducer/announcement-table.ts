/**
 * The table of current announcements, one per (service name, server id), with Tahoe-LAFS's replacement rule
 * (`introducer/server.py` `_publish`, `client.py` `_process_announcement`): an identical announcement is a
 * duplicate; a different one replaces the old only with a strictly higher `seqnum` (else it may be a replay).
 * Announcements loaded from the local cache carry no signature and yield to any verified one.
 *
 * @module
 */
import type { AnnouncementBody, SignedAnnouncement, VerifiedAnnouncement } from './signed-announcement.js';

/** One current announcement. */
export interface AnnouncementEntry {
  serviceName: string;
  /** The server id (`key_s`, `v0-...`). */
  serverId: string;
  ann: AnnouncementBody;
  seqnum: number;
  /** When it was received (ms since the epoch; the cache file's time for cached entries). */
  receivedAt: number;
  /** The signed form, absent for entries loaded from the cache. */
  signed: SignedAnnouncement | undefined;
  /** Increases with every change to the table; the subscription cursor. */
  change: number;
}

/** What {@link AnnouncementTable.offer} did. */
export type OfferResult = 'new' | 'updated' | 'duplicate' | 'stale' | 'full';

function indexOf(serviceName: string, serverId: string): string {
  return `${serviceName}\u0000${serverId}`;
}

/** A bounded table of announcements. */
export class AnnouncementTable {
  readonly #entries = new Map<string, AnnouncementEntry>();
  readonly #maxEntries: number;
  #change = 0;

  /** @param maxEntries - the most announcements kept; further new servers are refused (`full`). */
  constructor(maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be >= 1, got ${maxEntries}`);
    this.#maxEntries = maxEntries;
  }

  /** The number of the last change (0 before any). */
  get lastChange(): number {
    return this.#change;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Offers a verified announcement; returns whether it was stored and why not. */
  offer(verified: VerifiedAnnouncement, receivedAt = Date.now()): OfferResult {
    const index = indexOf(verified.serviceName, verified.keyString);
    const old = this.#entries.get(index);
    if (old?.signed !== undefined) {
      if (old.signed.msg === verified.signed.msg) return 'duplicate';
      if (verified.seqnum <= old.seqnum) return 'stale';
    } else if (old === undefined && this.#entries.size >= this.#maxEntries) {
      return 'full';
    }
    this.#entries.set(index, {
      serviceName: verified.serviceName,
      serverId: verified.keyString,
      ann: verified.ann,
      seqnum: verified.seqnum,
      receivedAt,
      signed: verified.signed,
      change: ++this.#change,
    });
    return old === undefined ? 'new' : 'updated';
  }

  /** Adds an unsigned announcement from the local cache unless one is already known for that server. */
  addCached(serviceName: string, serverId: string, ann: AnnouncementBody, receivedAt: number): boolean {
    const index = indexOf(serviceName, serverId);
    if (this.#entries.has(index) || this.#entries.size >= this.#maxEntries) return false;
    const seqnum = typeof ann.seqnum === 'number' ? ann.seqnum : 0;
    this.#entries.set(index, {
      serviceName,
      serverId,
      ann,
      seqnum,
      receivedAt,
      signed: undefined,
      change: ++this.#change,
    });
    return true;
  }

  /** The entry for `serverId`'s `serviceName` announcement. */
  get(serviceName: string, serverId: string): AnnouncementEntry | undefined {
    return this.#entries.get(indexOf(serviceName, serverId));
  }

  /** Entries of `serviceName` (all services if omitted) changed after `sinceChange`, oldest change first. */
  list(serviceName?: string, sinceChange = 0): AnnouncementEntry[] {
    const out: AnnouncementEntry[] = [];
    for (const e of this.#entries.values())
      if ((serviceName === undefined || e.serviceName === serviceName) && e.change > sinceChange) out.push(e);
    return out.sort((a, b) => a.change - b.change);
  }
}
