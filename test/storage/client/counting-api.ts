/**
 * An in-memory storage server for the grid client's tests that counts the bytes of every request while it is
 * in flight (from the call until its promise settles), per server, so the tests can check the in-flight
 * limits by counting bytes rather than by timing. Requests finish in a shuffled order after a few turns of
 * the event loop, so pipelined requests really overlap.
 *
 * @module
 */
import type { GridServer, StorageApi } from '../../../src/storage/client/grid.js';

/** Byte counters shared by every server of one fake grid. */
export interface FlightCounter {
  inFlight: number;
  peak: number;
  /** Largest number of requests in flight at once. */
  peakRequests: number;
  requests: number;
}

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

/** One fake server: shares stored by `si/shnum`, its own counter plus the grid's. */
export class CountingServer {
  readonly shares = new Map<number, Uint8Array>();
  readonly own: FlightCounter = { inFlight: 0, peak: 0, peakRequests: 0, requests: 0 };
  #active = 0;
  readonly #sizes = new Map<number, number>();
  readonly #written = new Map<number, number>();
  #seed: number;

  constructor(
    readonly id: string,
    readonly grid: FlightCounter & { active: number },
    seed: number,
  ) {
    this.#seed = seed;
  }

  #delay(): number {
    this.#seed = (this.#seed * 1103515245 + 12345) & 0x7fffffff;
    return 1 + (this.#seed % 4);
  }

  async #track<T>(bytes: number, work: () => T): Promise<T> {
    this.own.inFlight += bytes;
    this.grid.inFlight += bytes;
    this.own.requests++;
    this.#active++;
    this.grid.active++;
    this.own.peak = Math.max(this.own.peak, this.own.inFlight);
    this.grid.peak = Math.max(this.grid.peak, this.grid.inFlight);
    this.own.peakRequests = Math.max(this.own.peakRequests, this.#active);
    this.grid.peakRequests = Math.max(this.grid.peakRequests, this.grid.active);
    try {
      await turns(this.#delay());
      return work();
    } finally {
      this.own.inFlight -= bytes;
      this.grid.inFlight -= bytes;
      this.#active--;
      this.grid.active--;
    }
  }

  get api(): StorageApi {
    return {
      getVersion: async () => ({
        maximumImmutableShareSize: 2 ** 40,
        maximumMutableShareSize: 2 ** 40,
        availableSpace: 2 ** 40,
        applicationVersion: 'counting fake',
      }),
      addOrRenewLease: async () => undefined,
      listImmutableShares: async () => [...this.shares.keys()],
      allocateBuckets: async (_si, request) => {
        for (const n of request.shareNumbers) {
          this.#sizes.set(n, request.allocatedSize);
          this.#written.set(n, 0);
          this.shares.set(n, new Uint8Array(request.allocatedSize));
        }
        return { allocated: [...request.shareNumbers], alreadyHave: [] };
      },
      writeShareChunk: (_si, shnum, _secret, offset, data) => {
        // The caller may reuse `data` once the promise settles, so copy it now (as a socket write would).
        const copy = data.slice();
        return this.#track(data.length, () => {
          const share = this.shares.get(shnum);
          if (!share) throw new Error(`share ${shnum} was not allocated`);
          share.set(copy, offset);
          const written = (this.#written.get(shnum) ?? 0) + copy.length;
          this.#written.set(shnum, written);
          const complete = written === this.#sizes.get(shnum);
          return { complete, required: [] };
        });
      },
      abortUpload: async () => undefined,
      readImmutableShare: (_si, shnum, offset, length) =>
        this.#track(length, () => {
          const share = this.shares.get(shnum);
          if (!share) throw new Error(`no share ${shnum}`);
          return share.slice(Math.min(offset, share.length), Math.min(offset + length, share.length));
        }),
      adviseCorruptShare: async () => undefined,
    };
  }
}

/** `count` counting servers and the grid-wide counter. */
export function countingGrid(count: number): {
  servers: CountingServer[];
  grid: GridServer[];
  counter: FlightCounter;
} {
  const counter = { inFlight: 0, peak: 0, peakRequests: 0, requests: 0, active: 0 };
  const servers = Array.from({ length: count }, (_, i) => new CountingServer(`server${i}`, counter, i + 1));
  const grid = servers.map((s, i) => ({
    info: {
      serverId: s.id,
      nickname: s.id,
      nurls: [],
      permutationSeed: new Uint8Array([i, 1, 2, 3]),
      leaseSeed: new Uint8Array(20).fill(i),
    },
    api: s.api,
  }));
  return { servers, grid, counter };
}
