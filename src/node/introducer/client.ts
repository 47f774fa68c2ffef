/**
 * The introducer client (Tahoe-LAFS `introducer/client.py` `IntroducerClient`): publishes this node's signed
 * announcements, subscribes to services (by default `storage`) and keeps the current announcement of every
 * server, remembered in the announcement cache, and reconnects with bounded, jittered exponential back-off.
 *
 * Publishing re-signs every outbound announcement with a new seqnum and nonce (as Tahoe does) and sends them
 * whenever the introducer may not have them: after a publish, after a reconnection, and when the introducer's
 * epoch changes (it restarted and forgot). Received announcements are verified, must be of the subscribed
 * service and must beat the last seqnum seen from that server.
 *
 * @module
 */
import { AbortError } from '../../errors.js';
import { type Connector, directTcpConnector } from '../../storage/http/https-transport.js';
import { type AbortOptions, combineSignals, raceAbort, sleep } from '../../util/abort.js';
import { AnnouncementTable } from './announcement-table.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { loadAnnouncementCache, saveAnnouncementCache } from './cache-file.js';
import { AnnouncementRejectedError, IntroducerCacheError } from './errors.js';
import { IntroducerApi } from './introducer-api.js';
import { parseIntroducerUrl } from './introducer-url.js';
import type { NodeKey } from './node-key.js';
import { Publisher } from './publisher.js';
import { Sequencer } from './sequencer.js';
import { type AnnouncementBody, type SignedAnnouncement, verifyAnnouncement } from './signed-announcement.js';
import { Wakeup } from './wakeup.js';

/** Options of {@link IntroducerClient}. */
export interface IntroducerClientOptions {
  /** The introducer's URL (`introducer.furl`). */
  url: string;
  /** This node's signing key ({@link loadOrCreateNodeKey}). */
  nodeKey: NodeKey;
  /** Opens byte streams (the node's ConnectionManager; default direct TCP, for 127.0.0.1 only). */
  connect?: Connector;
  nickname?: string;
  myVersion?: string;
  oldestSupported?: string;
  /** `NODEDIR/announcement-seqnum` (in memory if omitted). */
  seqnumFile?: string;
  /** `NODEDIR/private/introducer_<petname>_cache.yaml` (no cache if omitted). */
  cacheFile?: string;
  /** Services to subscribe to (default `['storage']`). */
  services?: readonly string[];
  /** How long the introducer may hold a poll (default 50 s). */
  pollWaitSeconds?: number;
  backoff?: BackoffOptions;
  /** Deadline of each request beyond the poll wait (default 60 s). */
  requestTimeoutMs?: number;
  /** Announcements kept (default 1000). */
  maxAnnouncements?: number;
}

/** What the client knows of one server's announcement. */
export interface ServerAnnouncement {
  ann: AnnouncementBody;
  seqnum: number;
  /** ms since the epoch. */
  receivedAt: number;
  /** False for entries loaded from the cache and not yet confirmed by a signed announcement. */
  verified: boolean;
}

/** A change to the known announcements. */
export interface AnnouncementChange {
  kind: 'new' | 'updated';
  serviceName: string;
  serverId: string;
  announcement: ServerAnnouncement;
}

/** Keeps this node's announcements published and the announcements it subscribes to current. */
export class IntroducerClient {
  readonly #options: IntroducerClientOptions;
  readonly #api: IntroducerApi;
  readonly #table: AnnouncementTable;
  readonly #services: readonly string[];
  readonly #controller = new AbortController();
  readonly #connectedWanted = new Wakeup();
  readonly #publisher: Publisher;
  readonly #changeListeners = new Set<(change: AnnouncementChange) => void>();
  readonly #problemListeners = new Set<(error: Error) => void>();
  readonly #loops: Promise<void>[] = [];
  #connected = false;
  #lastError: Error | undefined;
  #saving: Promise<void> | undefined;
  #saveAgain = false;
  #started = false;

  /** Parses the URL (throwing {@link IntroducerUrlError}); nothing is sent before {@link start}. */
  constructor(options: IntroducerClientOptions) {
    this.#options = options;
    this.#services = options.services ?? ['storage'];
    this.#api = new IntroducerApi(parseIntroducerUrl(options.url), {
      connect: options.connect ?? directTcpConnector,
      maxSockets: this.#services.length + 2,
    });
    this.#table = new AnnouncementTable(options.maxAnnouncements ?? 1000);
    this.#publisher = new Publisher({
      api: this.#api,
      nodeKey: options.nodeKey,
      sequencer: new Sequencer(options.seqnumFile),
      signal: this.#controller.signal,
      pollWaitSeconds: options.pollWaitSeconds ?? 50,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      backoff: options.backoff,
      reached: (ok) => this.#setConnected(ok),
      problem: (error) => this.#problem(error),
    });
  }

  /** Loads the cache (its problems go to {@link onProblem} listeners), then starts publishing and polling. */
  async start(options: AbortOptions = {}): Promise<void> {
    if (this.#started) throw new Error('IntroducerClient.start: already started');
    this.#started = true;
    if (this.#options.cacheFile !== undefined) {
      try {
        const cache = await raceAbort(
          loadAnnouncementCache(this.#options.cacheFile),
          combineSignals(options),
        );
        for (const p of cache.problems) this.#problem(new IntroducerCacheError(this.#options.cacheFile, p));
        for (const { ann, key_s } of cache.entries) {
          const service = ann['service-name'] as string;
          if (!this.#services.includes(service)) continue;
          if (this.#table.addCached(service, key_s, ann, cache.mtimeMs)) this.#emit('new', service, key_s);
        }
      } catch (error) {
        if (error instanceof AbortError) throw error;
        this.#problem(error as Error);
      }
    }
    this.#loops.push(this.#publisher.run());
    for (const service of this.#services) this.#loops.push(this.#pollLoop(service));
  }

  /**
   * Publishes (or replaces) this node's announcement of `serviceName`: `fields` (e.g. the storage
   * announcement) plus Tahoe's common keys and a new seqnum and nonce. Resolves once signed; it is sent in the
   * background now and after every reconnection.
   */
  async publish(
    serviceName: string,
    fields: AnnouncementBody,
    options: AbortOptions = {},
  ): Promise<SignedAnnouncement> {
    const { signal } = this.#controller;
    const body: AnnouncementBody = {
      version: 0,
      nickname: this.#options.nickname ?? '',
      'app-versions': [],
      'my-version': this.#options.myVersion ?? 'lafs/0.1.0',
      'oldest-supported': this.#options.oldestSupported ?? '1.0.0',
      'service-name': serviceName,
      ...fields,
    };
    return raceAbort(
      this.#publisher.set(serviceName, body),
      combineSignals({ ...options, signal: options.signal ?? signal }),
      'publishing',
    );
  }

  /** The current announcements of `serviceName` (default `storage`), by server id (`v0-...`). */
  servers(serviceName = 'storage'): Map<string, ServerAnnouncement> {
    const out = new Map<string, ServerAnnouncement>();
    for (const e of this.#table.list(serviceName))
      out.set(e.serverId, {
        ann: e.ann,
        seqnum: e.seqnum,
        receivedAt: e.receivedAt,
        verified: e.signed !== undefined,
      });
    return out;
  }

  /** Calls `listener` for every new or updated announcement; returns a function that stops it. */
  onChange(listener: (change: AnnouncementChange) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  /** Calls `listener` with every problem (unreachable introducer, rejected announcement, cache error). */
  onProblem(listener: (error: Error) => void): () => void {
    this.#problemListeners.add(listener);
    return () => this.#problemListeners.delete(listener);
  }

  /** Whether the last request to the introducer succeeded. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The last problem, if any. */
  get lastError(): Error | undefined {
    return this.#lastError;
  }

  /** Resolves when the client is connected (at once if it is). */
  async whenConnected(options: AbortOptions = {}): Promise<void> {
    const signal = combineSignals(options, 'waiting for the introducer');
    while (!this.#connected) await this.#connectedWanted.wait(signal, 'waiting for the introducer');
  }

  /** Stops publishing and polling, closes connections and finishes writing the cache. */
  async close(): Promise<void> {
    this.#controller.abort(new AbortError('the introducer client was closed'));
    await Promise.allSettled(this.#loops);
    this.#api.close();
    while (this.#saving !== undefined) await this.#saving;
  }

  #emit(kind: 'new' | 'updated', serviceName: string, serverId: string): void {
    const e = this.#table.get(serviceName, serverId);
    if (e === undefined) return;
    const announcement = {
      ann: e.ann,
      seqnum: e.seqnum,
      receivedAt: e.receivedAt,
      verified: e.signed !== undefined,
    };
    for (const listener of [...this.#changeListeners]) {
      try {
        listener({ kind, serviceName, serverId, announcement });
      } catch (error) {
        this.#problem(error as Error);
      }
    }
  }

  #problem(error: Error): void {
    this.#lastError = error;
    for (const listener of [...this.#problemListeners]) {
      try {
        listener(error);
      } catch {
        // A failing problem listener has nowhere further to report to.
      }
    }
  }

  #setConnected(connected: boolean): void {
    if (connected === this.#connected) return;
    this.#connected = connected;
    if (connected) {
      this.#connectedWanted.wake();
      this.#publisher.reconnected();
    } else {
      this.#publisher.disconnected();
    }
  }

  async #pollLoop(service: string): Promise<void> {
    const { signal } = this.#controller;
    const wait = this.#options.pollWaitSeconds ?? 50;
    let cursor: string | undefined;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const answer = await this.#api.subscribe(service, cursor, wait, {
          signal,
          timeoutMs: wait * 1000 + (this.#options.requestTimeoutMs ?? 60_000),
        });
        attempt = 0;
        this.#setConnected(true);
        this.#publisher.noteEpoch(answer.epoch);
        for (const [i, raw] of answer.announcements.entries()) this.#receive(service, raw, i);
        cursor = answer.cursor;
      } catch (error) {
        if (signal.aborted) return;
        this.#setConnected(false);
        this.#problem(error as Error);
        this.#api.rotate();
        await sleep(backoffDelay(attempt++, this.#options.backoff), signal).catch(() => undefined);
      }
    }
  }

  #receive(service: string, raw: unknown, index: number): void {
    const where = `announcement ${index} of a ${service} subscription`;
    try {
      const verified = verifyAnnouncement(raw, where);
      if (verified.serviceName !== service)
        throw new AnnouncementRejectedError(
          where,
          `it is for service "${verified.serviceName}", not "${service}"`,
        );
      const result = this.#table.offer(verified);
      if (result === 'full')
        throw new AnnouncementRejectedError(where, 'ignored: the client holds its maximum of announcements');
      if (result === 'new' || result === 'updated') {
        this.#emit(result, service, verified.keyString);
        this.#scheduleSave();
      }
    } catch (error) {
      if (!(error instanceof AnnouncementRejectedError)) throw error;
      this.#problem(error);
    }
  }

  #scheduleSave(): void {
    const file = this.#options.cacheFile;
    if (file === undefined) return;
    if (this.#saving !== undefined) {
      this.#saveAgain = true;
      return;
    }
    this.#saving = (async () => {
      do {
        this.#saveAgain = false;
        const entries = this.#table.list().map((e) => ({ ann: e.ann, key_s: e.serverId }));
        await saveAnnouncementCache(file, entries).catch((error: Error) => this.#problem(error));
      } while (this.#saveAgain);
      this.#saving = undefined;
    })();
  }
}
