/**
 * The lease crawler and expirer (Tahoe's storage/crawler.py + expirer.py, simplified): walks every bucket
 * under `shares/` in sorted order, a bounded number of buckets per tick, and for every share
 * - gives a share with no lease at all a starter lease (31 days, secrets nobody knows), so a later
 *   expiration pass cannot delete it before any client had the chance to renew;
 * - when expiration is enabled for its kind, removes expired leases and deletes the share once none remain.
 * Progress and per-cycle counts survive restarts in a JSON state file. Off by default, as in Tahoe.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readdir, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { listShareFiles } from '../backend/bucket-shares.js';
import type { DiskBackend } from '../backend/disk-backend.js';
import { LEASE_DURATION_SECONDS } from '../backend/lease-record.js';
import { addOrRenewLease, filterLeases, readLeases } from '../backend/share-file.js';
import { type CrawlerState, emptyCounts, loadCrawlerState, saveCrawlerState } from './crawler-state.js';
import {
  appliesTo,
  checkPolicy,
  DEFAULT_EXPIRATION_POLICY,
  type ExpirationPolicy,
  isLeaseExpired,
} from './expiration-policy.js';

/** Options of {@link LeaseCrawler}. */
export interface LeaseCrawlerOptions {
  backend: DiskBackend;
  policy?: ExpirationPolicy;
  /** State file (default `<storageDir>/lafs-lease-crawler.json`; Tahoe's own pickle is left alone). */
  statePath?: string;
  /** Buckets processed per tick (default 100): bounds the work done at once. */
  bucketsPerTick?: number;
  /** Pause between ticks (default 1 s) and between cycles (default 1 hour). */
  tickIntervalMs?: number;
  cycleIntervalMs?: number;
  /** Clock in seconds (tests). */
  now?: () => number;
  /** Told about errors met while crawling (they are also kept in the state's `lastError`). */
  onError?: (error: unknown) => void;
}

/** The crawler. Call {@link LeaseCrawler.start} to run it on timers, or {@link LeaseCrawler.tick} directly. */
export class LeaseCrawler {
  private state: CrawlerState | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly policy: ExpirationPolicy;
  private readonly now: () => number;
  readonly statePath: string;

  constructor(private readonly options: LeaseCrawlerOptions) {
    this.policy = checkPolicy(options.policy ?? DEFAULT_EXPIRATION_POLICY);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.statePath = options.statePath ?? join(options.backend.storageDir, 'lafs-lease-crawler.json');
  }

  /** The current state (loaded from disk on first use). */
  async getState(): Promise<CrawlerState> {
    this.state ??= await loadCrawlerState(this.statePath, this.now());
    return this.state;
  }

  /** Every bucket as `prefix/si`, sorted; `incoming/` is never crawled. */
  private async listBuckets(): Promise<string[]> {
    const shares = join(this.options.backend.storageDir, 'shares');
    const out: string[] = [];
    const prefixes = (await readdir(shares).catch(() => [] as string[]))
      .filter((p) => /^[a-z2-7]{2}$/.test(p))
      .sort();
    for (const prefix of prefixes) {
      const buckets = await readdir(join(shares, prefix)).catch(() => [] as string[]);
      for (const si of buckets.filter((b) => /^[a-z2-7]{26}$/.test(b)).sort()) out.push(`${prefix}/${si}`);
    }
    return out;
  }

  /**
   * Processes up to `bucketsPerTick` buckets after the saved position, then saves the state. Returns true when
   * this tick finished a cycle.
   */
  async tick(): Promise<boolean> {
    const state = await this.getState();
    const limit = this.options.bucketsPerTick ?? 100;
    const all = await this.listBuckets();
    const todo = all.filter((b) => state.position === null || b > state.position).slice(0, limit);
    for (const bucket of todo) {
      try {
        await this.processBucket(bucket, state);
      } catch (error) {
        state.lastError = `${bucket}: ${(error as Error).message}`;
        this.options.onError?.(error);
      }
      state.position = bucket;
      state.current.bucketsExamined++;
    }
    const finished = todo.length < limit || todo[todo.length - 1] === all[all.length - 1];
    if (finished) {
      state.lastComplete = { ...state.current, cycle: state.cycle, finishTime: this.now() };
      state.cycle++;
      state.cycleStartTime = this.now();
      state.position = null;
      state.current = emptyCounts();
    }
    await saveCrawlerState(this.statePath, state);
    return finished;
  }

  private async processBucket(bucket: string, state: CrawlerState): Promise<void> {
    const [, siText = ''] = bucket.split('/');
    const dir = join(this.options.backend.storageDir, 'shares', bucket);
    await this.options.backend.runExclusive(siText, async () => {
      const now = this.now();
      for (const shnum of await listShareFiles(dir)) {
        const path = join(dir, String(shnum));
        state.current.sharesExamined++;
        const { kind, leases } = await readLeases(path);
        if (leases.length === 0) {
          await addOrRenewLease(path, {
            ownerNumber: kind === 'mutable' ? 1 : 0,
            renewSecret: randomBytes(32),
            cancelSecret: randomBytes(32),
            expirationTime: now + LEASE_DURATION_SECONDS,
            nodeId: this.options.backend.nodeId,
          });
          state.current.starterLeasesAdded++;
          continue;
        }
        if (!appliesTo(this.policy, kind)) continue;
        const remaining = await filterLeases(path, (lease) => !isLeaseExpired(this.policy, lease, now));
        state.current.leasesExpired += leases.length - remaining;
        if (remaining === 0) {
          await unlink(path);
          state.current.sharesDeleted++;
        }
      }
      await rmdir(dir).catch(() => undefined);
      await rmdir(join(dir, '..')).catch(() => undefined);
    });
  }

  /** Runs ticks on timers until {@link LeaseCrawler.stop}. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(
        (finished) =>
          this.schedule(
            finished ? (this.options.cycleIntervalMs ?? 3_600_000) : (this.options.tickIntervalMs ?? 1000),
          ),
        (error: unknown) => {
          this.options.onError?.(error);
          this.schedule(this.options.tickIntervalMs ?? 1000);
        },
      );
    }, delay);
    this.timer.unref();
  }

  /** Stops the timers and waits for a tick in progress to finish (its state is saved). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
