/**
 * Where each share of an immutable upload goes: Tahoe-LAFS's "Upload Strategy of Happiness"
 * (`docs/specifications/servers-of-happiness.rst`, "Calculating Share Placements"), and the permuted server
 * order that makes every client pick the same servers for the same file.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { type Edge, happinessOf, maximumMatching } from './matching.js';

/** A candidate server as the placement sees it, after asking it what it holds and how much room it has. */
export interface PlacementServer {
  /** A stable identifier (e.g. the server's NURL or announcement key). */
  id: string;
  /** True when the server accepts new shares of this size ("readwrite" in the spec). */
  writable: boolean;
  /** Share numbers of this file the server already holds. */
  existingShares: ReadonlySet<number>;
}

/** The result of {@link planPlacement}. */
export interface Placement {
  /** Shares to upload: share number to server id. */
  upload: Map<number, string>;
  /** Shares already in place whose leases should be renewed: share number to server id. */
  renew: Map<number, string>;
  /** Shares no server could take (only when no server is writable). */
  unplaced: number[];
  /** The servers-of-happiness value of the final layout. */
  happiness: number;
}

/**
 * Orders servers for a file as Tahoe does: ascending by SHA-1(storage index || server permutation seed), so that
 * every client asks the same servers first for the same file (`storage_client.py`, `permute_server_hash`).
 */
export function permuteServers<T extends { permutationSeed: Uint8Array }>(
  servers: readonly T[],
  storageIndex: Uint8Array,
): T[] {
  const keyed = servers.map((server) => ({
    server,
    key: createHash('sha1').update(storageIndex).update(server.permutationSeed).digest(),
  }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.server);
}

/**
 * Plans an upload of shares `0..totalShares-1` over `servers` (already in permuted order), following the spec's
 * steps: match read-only servers to the shares they hold (M1), then writable servers to the shares they hold
 * (M2), then the remaining writable servers to the remaining shares (M3). The union of the three matchings is
 * the happy core; every other share goes to the writable server holding the fewest shares so far, preferring a
 * server that already holds it, then earlier servers.
 */
export function planPlacement(servers: readonly PlacementServer[], totalShares: number): Placement {
  if (!Number.isInteger(totalShares) || totalShares < 1 || totalShares > 256) {
    throw new RangeError(`totalShares must be an integer from 1 to 256, got ${totalShares}`);
  }
  const usedServers = new Set<number>();
  const placed = new Map<number, number>(); // share -> server index
  const existingEdges = (writable: boolean): Edge[] =>
    servers.flatMap((s, server) =>
      s.writable === writable && !usedServers.has(server)
        ? [...s.existingShares]
            .filter((share) => share < totalShares && !placed.has(share))
            .map((share) => ({ server, share }))
        : [],
    );
  const take = (matching: Map<number, number>): void => {
    for (const [share, server] of matching) {
      placed.set(share, server);
      usedServers.add(server);
    }
  };

  const m1 = maximumMatching(existingEdges(false));
  take(m1);
  const m2 = maximumMatching(existingEdges(true));
  take(m2);
  const freshEdges: Edge[] = [];
  servers.forEach((s, server) => {
    if (!s.writable || usedServers.has(server)) return;
    for (let share = 0; share < totalShares; share++)
      if (!placed.has(share)) freshEdges.push({ server, share });
  });
  const m3 = maximumMatching(freshEdges);
  take(m3);

  const upload = new Map<number, string>();
  const renew = new Map<number, string>();
  const load = servers.map(() => 0);
  for (const [share, server] of placed) {
    load[server] = (load[server] ?? 0) + 1;
    const s = servers[server]!;
    (s.existingShares.has(share) ? renew : upload).set(share, s.id);
  }

  const unplaced: number[] = [];
  for (let share = 0; share < totalShares; share++) {
    if (placed.has(share)) continue;
    const holder = servers.findIndex((s) => s.existingShares.has(share));
    if (holder >= 0) {
      renew.set(share, servers[holder]!.id);
      load[holder] = (load[holder] ?? 0) + 1;
      placed.set(share, holder);
      continue;
    }
    let best = -1;
    servers.forEach((s, server) => {
      if (s.writable && (best < 0 || (load[server] ?? 0) < (load[best] ?? 0))) best = server;
    });
    if (best < 0) {
      unplaced.push(share);
      continue;
    }
    load[best] = (load[best] ?? 0) + 1;
    placed.set(share, best);
    upload.set(share, servers[best]!.id);
  }

  const layout = new Map<number, string[]>();
  for (const [share, server] of placed) layout.set(share, [servers[server]!.id]);
  return { upload, renew, unplaced, happiness: happinessOf(layout) };
}
