/**
 * The publishing half of the introducer client (Tahoe-LAFS `introducer/client.py` `publish`, `_maybe_publish`):
 * signs this node's announcements with a new seqnum and nonce on every change and sends each one whenever the
 * introducer may not have it: after a change, after a reconnection, and when the introducer's epoch changes (it
 * restarted and forgot everything). Between publications it long-polls `/watch` to notice such restarts.
 *
 * @module
 */
import { type AbortOptions, sleep } from '../../util/abort.js';
import { type BackoffOptions, backoffDelay } from './backoff.js';
import { IntroducerProtocolError } from './errors.js';
import type { IntroducerApi } from './introducer-api.js';
import type { NodeKey } from './node-key.js';
import type { Sequencer } from './sequencer.js';
import { type AnnouncementBody, type SignedAnnouncement, signAnnouncement } from './signed-announcement.js';
import { Wakeup } from './wakeup.js';

/** What the publisher needs from its client. */
export interface PublisherContext {
  api: IntroducerApi;
  nodeKey: NodeKey;
  sequencer: Sequencer;
  /** Ends the loop. */
  signal: AbortSignal;
  pollWaitSeconds: number;
  requestTimeoutMs: number;
  backoff: BackoffOptions | undefined;
  /** Called after every request with whether it reached the introducer. */
  reached(ok: boolean): void;
  problem(error: Error): void;
}

/** Keeps a node's announcements published; see the module comment. */
export class Publisher {
  readonly #ctx: PublisherContext;
  readonly #outbound = new Map<string, AnnouncementBody>();
  readonly #signed = new Map<string, SignedAnnouncement>();
  /** What the introducer has acknowledged, and in which of its epochs. */
  readonly #acked = new Map<string, { msg: string; epoch: string | undefined }>();
  readonly #wanted = new Wakeup();
  #epoch: string | undefined;
  /** The running epoch watch, aborted when there is something to publish. */
  #watch: AbortController | undefined;

  constructor(context: PublisherContext) {
    this.#ctx = context;
  }

  /** Sets (or replaces) the announcement of `serviceName` and re-signs all of them; returns the signed one. */
  async set(serviceName: string, body: AnnouncementBody): Promise<SignedAnnouncement> {
    this.#outbound.set(serviceName, body);
    await this.#resign();
    const signed = this.#signed.get(serviceName);
    if (signed === undefined) throw new Error('bug: no signed announcement after signing');
    return signed;
  }

  /** Notes the introducer's epoch (from any answer); a new one means it must be sent everything again. */
  noteEpoch(epoch: string | undefined): void {
    if (epoch === undefined || epoch === this.#epoch) return;
    this.#epoch = epoch;
    this.#kick();
  }

  /** The connection was lost: the introducer may have lost our announcements too, so send them again. */
  disconnected(): void {
    this.#acked.clear();
  }

  /** The connection is back: publish what is pending now rather than after the current watch. */
  reconnected(): void {
    this.#kick();
  }

  #kick(): void {
    this.#wanted.wake();
    this.#watch?.abort();
  }

  async #resign(): Promise<void> {
    const { seqnum, nonce } = await this.#ctx.sequencer.next();
    for (const [service, body] of this.#outbound)
      this.#signed.set(service, signAnnouncement({ ...body, seqnum, nonce }, this.#ctx.nodeKey));
    this.#kick();
  }

  #needsPublish(): boolean {
    for (const [service, signed] of this.#signed) {
      const acked = this.#acked.get(service);
      if (acked?.msg !== signed.msg || acked.epoch !== this.#epoch) return true;
    }
    return false;
  }

  /** Runs until the context's signal fires. */
  async run(): Promise<void> {
    const { signal } = this.#ctx;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        if (this.#signed.size === 0) {
          await this.#wanted.wait(signal, 'publishing');
          continue;
        }
        await this.#publishPending();
        attempt = 0;
        if (this.#needsPublish()) continue;
        await this.#watchEpoch();
      } catch (error) {
        if (signal.aborted) return;
        this.#ctx.reached(false);
        this.#ctx.problem(error as Error);
        this.#ctx.api.rotate();
        await sleep(backoffDelay(attempt++, this.#ctx.backoff), signal).catch(() => undefined);
      }
    }
  }

  #options(extraMs = 0): AbortOptions & { signal: AbortSignal } {
    return { signal: this.#ctx.signal, timeoutMs: this.#ctx.requestTimeoutMs + extraMs };
  }

  async #watchEpoch(): Promise<void> {
    const watch = new AbortController();
    this.#watch = watch;
    try {
      const wait = this.#ctx.pollWaitSeconds;
      const options = this.#options(wait * 1000);
      const epoch = await this.#ctx.api.watch(this.#epoch, wait, {
        ...options,
        signal: AbortSignal.any([options.signal, watch.signal]),
      });
      this.noteEpoch(epoch);
      this.#ctx.reached(true);
    } catch (error) {
      // Aborted by #kick(): there is something to publish; go round.
      if (this.#ctx.signal.aborted || !watch.signal.aborted) throw error;
    } finally {
      this.#watch = undefined;
    }
  }

  async #publishPending(): Promise<void> {
    for (let round = 0; round < 3; round++) {
      let resigned = false;
      for (const [service, signed] of [...this.#signed]) {
        const acked = this.#acked.get(service);
        if (acked?.msg === signed.msg && acked.epoch === this.#epoch) continue;
        const outcome = await this.#ctx.api.publish(signed, this.#options());
        if (outcome.result === 'stale') {
          // The introducer saw a higher seqnum from us (our counter was lost): continue above it.
          await this.#ctx.sequencer.advancePast(outcome.current ?? 0);
          await this.#resign();
          resigned = true;
          break;
        }
        this.noteEpoch(outcome.epoch);
        this.#acked.set(service, { msg: signed.msg, epoch: outcome.epoch ?? this.#epoch });
        this.#ctx.reached(true);
      }
      if (!resigned) return;
    }
    throw new IntroducerProtocolError('publish', 409, 'the introducer keeps refusing our seqnum as stale');
  }
}
