/**
 * The client's view of the grid (Tahoe-LAFS's `StorageFarmBroker`): every storage server known from
 * `private/servers.yaml` and from introducers, a storage-protocol client for each, and what the welcome page
 * shows about them. A server counts as connected once its `GET /storage/v1/version` answered; the broker asks
 * again periodically (sooner, with back-off, after a failure) so that the status and available space stay current.
 *
 * @module
 */

import type { GridServer, StorageApi } from '../../storage/client/grid.js';
import type { StorageServerInfo } from '../../storage/client/server-info.js';
import { parseNurl } from '../../storage/http/nurl.js';
import type { WelcomeServer } from '../gateway/backend.js';

/** A storage-protocol client the broker can close when the server goes away or changes its announcement. */
export type ClosableStorageApi = StorageApi & { close(): void };

/** Where a server became known. */
export type ServerSource = 'static' | 'introducer';

/** Options of {@link StorageBroker}. */
export interface StorageBrokerOptions {
  /** Makes the client of one server (over the node's connection manager). */
  makeClient(info: StorageServerInfo): ClosableStorageApi;
  /** How a server is reached, for the status line ("tcp", "tor", "i2p"). */
  transportOf(host: string): string;
  /** Re-ask connected servers after this long (default 60 s). */
  pollIntervalMs?: number;
  /** Deadline of one version request (default 30 s; Tor circuits are slow to build). */
  pollTimeoutMs?: number;
  /** First retry delay after a failure (default 2 s), doubled up to `pollIntervalMs`. */
  retryDelayMs?: number;
  /** Told when a server's state changes, for the node's log. */
  onStateChange?(serverId: string, state: string): void;
  /** Clock in milliseconds (tests). */
  now?(): number;
}

interface Entry {
  info: StorageServerInfo;
  source: ServerSource;
  api: ClosableStorageApi;
  connected: boolean;
  status: string;
  lastReceivedMs: number | undefined;
  availableSpace: number | undefined;
  version: string | undefined;
  failures: number;
  timer: NodeJS.Timeout | undefined;
  inFlight: AbortController | undefined;
}

/** The set of known storage servers and their state. */
export class StorageBroker {
  readonly #options: StorageBrokerOptions;
  readonly #entries = new Map<string, Entry>();
  #closed = false;
  #started = false;

  constructor(options: StorageBrokerOptions) {
    this.#options = options;
  }

  /** Starts asking each known server (and each added later) for its version. */
  start(): void {
    this.#started = true;
    for (const entry of this.#entries.values()) this.#schedule(entry, 0);
  }

  /**
   * Adds a server or replaces its announcement. A static entry is never replaced by an introducer's (Tahoe:
   * servers.yaml takes precedence). The old client is closed when the NURLs changed.
   */
  upsert(info: StorageServerInfo, source: ServerSource): void {
    if (this.#closed) return;
    const old = this.#entries.get(info.serverId);
    if (old !== undefined) {
      if (old.source === 'static' && source === 'introducer') return;
      if (sameNurls(old.info.nurls, info.nurls)) {
        old.info = info;
        old.source = source;
        return;
      }
      this.#drop(old);
    }
    const entry: Entry = {
      info,
      source,
      api: this.#observed(info.serverId, this.#options.makeClient(info)),
      connected: false,
      status: 'Trying to connect',
      lastReceivedMs: undefined,
      availableSpace: undefined,
      version: undefined,
      failures: 0,
      timer: undefined,
      inFlight: undefined,
    };
    this.#entries.set(info.serverId, entry);
    if (this.#started) this.#schedule(entry, 0);
  }

  /** The servers that answered their last version request, for uploads and downloads. */
  servers(): GridServer[] {
    return [...this.#entries.values()].filter((e) => e.connected).map((e) => ({ info: e.info, api: e.api }));
  }

  /** Every known server, connected or not. */
  allServers(): GridServer[] {
    return [...this.#entries.values()].map((e) => ({ info: e.info, api: e.api }));
  }

  /** How many servers are connected. */
  get connectedCount(): number {
    let n = 0;
    for (const e of this.#entries.values()) if (e.connected) n++;
    return n;
  }

  /** What the welcome page shows about each server, sorted by server id. */
  describe(): WelcomeServer[] {
    return [...this.#entries.values()]
      .sort((a, b) => (a.info.serverId < b.info.serverId ? -1 : 1))
      .map((e) => ({
        serverId: e.info.serverId,
        nickname: e.info.nickname,
        address: addressOf(e.info.nurls[0]),
        connected: e.connected,
        connectionStatus: e.status,
        lastReceivedData: e.lastReceivedMs === undefined ? null : Math.floor(e.lastReceivedMs / 1000),
        availableSpace: e.availableSpace ?? null,
        version: e.version,
      }));
  }

  /** Stops polling and closes every client. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) this.#drop(entry);
    this.#entries.clear();
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #drop(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.inFlight?.abort();
    entry.api.close();
  }

  #schedule(entry: Entry, delayMs: number): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.#poll(entry), delayMs);
    entry.timer.unref();
  }

  async #poll(entry: Entry): Promise<void> {
    if (this.#closed || this.#entries.get(entry.info.serverId) !== entry) return;
    const interval = this.#options.pollIntervalMs ?? 60_000;
    const controller = new AbortController();
    entry.inFlight = controller;
    const deadline = setTimeout(() => controller.abort(), this.#options.pollTimeoutMs ?? 30_000);
    try {
      const version = await entry.api.getVersion({ signal: controller.signal });
      entry.availableSpace = version.availableSpace;
      entry.version = version.applicationVersion;
      entry.failures = 0;
      this.#setState(entry, true, `Connected via ${this.#transport(entry)}`);
      if (!this.#closed) this.#schedule(entry, interval);
    } catch (error) {
      if (this.#closed || this.#entries.get(entry.info.serverId) !== entry) return;
      entry.failures++;
      const why = controller.signal.aborted ? 'no answer in time' : (error as Error).message;
      this.#setState(entry, false, `Failed to connect via ${this.#transport(entry)}: ${why}`);
      const retry = Math.min(interval, (this.#options.retryDelayMs ?? 2000) * 2 ** (entry.failures - 1));
      this.#schedule(entry, retry);
    } finally {
      clearTimeout(deadline);
      entry.inFlight = undefined;
    }
  }

  #setState(entry: Entry, connected: boolean, status: string): void {
    const changed = entry.connected !== connected || entry.status !== status;
    entry.connected = connected;
    entry.status = status;
    if (changed) this.#options.onStateChange?.(entry.info.serverId, status);
  }

  #transport(entry: Entry): string {
    const nurl = entry.info.nurls[0];
    try {
      return nurl === undefined ? 'unknown' : this.#options.transportOf(parseNurl(nurl).host);
    } catch {
      return 'unknown';
    }
  }

  /** Wraps `api` so that every answer updates "last received data". */
  #observed(serverId: string, api: ClosableStorageApi): ClosableStorageApi {
    const stamp = (): void => {
      const entry = this.#entries.get(serverId);
      if (entry !== undefined) entry.lastReceivedMs = this.#now();
    };
    return new Proxy(api, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver) as unknown;
        if (typeof value !== 'function' || property === 'close') return value;
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => unknown).apply(target, args);
          if (result instanceof Promise)
            return result.then((v: unknown) => {
              stamp();
              return v;
            });
          return result;
        };
      },
    });
  }
}

function sameNurls(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** `host:port` of a NURL, without the swissnum (which is a secret). */
function addressOf(nurl: string | undefined): string {
  if (nurl === undefined) return '';
  try {
    const { host, port } = parseNurl(nurl);
    const name = host.includes(':') ? `[${host}]` : host;
    return port === undefined ? name : `${name}:${port}`;
  } catch {
    return '(unparseable NURL)';
  }
}
