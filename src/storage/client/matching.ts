/**
 * Maximum bipartite matching between servers and shares, the measure behind servers-of-happiness
 * (Tahoe-LAFS `docs/specifications/servers-of-happiness.rst`, "Measuring Servers of Happiness").
 *
 * @module
 */

/** An edge: `server` holds (or could hold) share `share`. Servers are indexes into an ordered server list. */
export interface Edge {
  server: number;
  share: number;
}

/**
 * A maximum matching of the bipartite graph given by `edges`, computed with augmenting paths (Kuhn's algorithm,
 * the unit-capacity case of Ford-Fulkerson). Servers are tried in ascending index order and each server's shares
 * in ascending order, so among maximum matchings the result prefers earlier servers, as the spec asks.
 *
 * @returns a map from share number to the server index matched to it; its size is the happiness of `edges`.
 */
export function maximumMatching(edges: readonly Edge[]): Map<number, number> {
  const sharesOf = new Map<number, number[]>();
  for (const { server, share } of edges) {
    const list = sharesOf.get(server);
    if (list) {
      if (!list.includes(share)) list.push(share);
    } else sharesOf.set(server, [share]);
  }
  for (const list of sharesOf.values()) list.sort((a, b) => a - b);
  const servers = [...sharesOf.keys()].sort((a, b) => a - b);

  const serverOfShare = new Map<number, number>();
  const tryAugment = (server: number, visited: Set<number>): boolean => {
    for (const share of sharesOf.get(server) ?? []) {
      if (visited.has(share)) continue;
      visited.add(share);
      const holder = serverOfShare.get(share);
      if (holder === undefined || tryAugment(holder, visited)) {
        serverOfShare.set(share, server);
        return true;
      }
    }
    return false;
  };
  for (const server of servers) tryAugment(server, new Set());
  return serverOfShare;
}

/**
 * The servers-of-happiness value of a share layout: the size of a maximum matching between the servers and the
 * shares they hold. Any `k` of that many servers hold `k` distinct shares.
 *
 * @param layout - share number to the servers (any identifiers) holding it.
 */
export function happinessOf<S>(layout: ReadonlyMap<number, Iterable<S>>): number {
  const index = new Map<S, number>();
  const edges: Edge[] = [];
  for (const [share, holders] of layout) {
    for (const holder of holders) {
      let server = index.get(holder);
      if (server === undefined) {
        server = index.size;
        index.set(holder, server);
      }
      edges.push({ server, share });
    }
  }
  return maximumMatching(edges).size;
}
