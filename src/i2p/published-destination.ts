/**
 * Publishing a long-term I2P destination (Tahoe-LAFS `[i2p] dest = true`): a SAM STREAM session created with
 * the stored private key, whose incoming streams the bridge forwards to a local TCP port (SAM v3 "STREAM
 * FORWARD" with `SILENT=true`, so the local server sees the peer's raw bytes, e.g. a TLS ClientHello, with no
 * destination line in front).
 *
 * The forwarding lives as long as the session's control connection. If the session ends without being asked
 * to (the router restarted, the bridge dropped it), it is re-created with back-off until {@link stop}.
 *
 * @module
 */
import { type AbortOptions, sleep } from '../util/abort.js';
import type { SamClient } from './sam-client.js';
import type { SamParamValue } from './sam-message.js';
import type { SamSession } from './sam-session.js';

/** Everything needed to publish one destination. */
export interface PublishSpec {
  client: SamClient;
  /** The private-key blob (I2P base64) of the destination. */
  privateKey: string;
  /** Local TCP port on 127.0.0.1 that incoming streams are forwarded to. */
  localPort: number;
  /** I2CP options of the session (tests: zero-hop tunnels and LeaseSet type 1). */
  sessionOptions?: Readonly<Record<string, SamParamValue>> | undefined;
  onLog?: ((message: string) => void) | undefined;
}

/** Back-off between attempts to re-publish: 1 s doubling to 60 s. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

/** A destination being published; see the module comment. */
export class PublishedDestination {
  /** The `.b32.i2p` address peers dial. */
  readonly address: string;
  readonly #spec: PublishSpec;
  readonly #stopper = new AbortController();
  #session: SamSession;
  #watching: Promise<void>;

  private constructor(spec: PublishSpec, session: SamSession) {
    this.#spec = spec;
    this.#session = session;
    this.address = session.b32Address;
    this.#watching = this.#watch();
  }

  /**
   * Creates the session and the forwarding. Errors of this first attempt are thrown (bad key, DUPLICATED_DEST,
   * no bridge, timeout); later outages are retried in the background.
   */
  static async start(spec: PublishSpec, abort: AbortOptions = {}): Promise<PublishedDestination> {
    return new PublishedDestination(spec, await publishOnce(spec, abort));
  }

  /** The current session (replaced after an outage). */
  get session(): SamSession {
    return this.#session;
  }

  /** Stops publishing: closes the session (and with it the forwarding). Idempotent. */
  async stop(): Promise<void> {
    this.#stopper.abort();
    await this.#session.close();
    await this.#watching;
  }

  async #watch(): Promise<void> {
    const signal = this.#stopper.signal;
    for (;;) {
      await this.#session.closed;
      if (signal.aborted) return;
      this.#spec.onLog?.(`I2P destination ${this.address}: SAM session ended; publishing it again`);
      let delay = RETRY_MIN_MS;
      for (;;) {
        try {
          await sleep(delay, signal);
          this.#session = await publishOnce(this.#spec, { signal });
          this.#spec.onLog?.(`I2P destination ${this.address}: published again`);
          break;
        } catch (error) {
          if (signal.aborted) return;
          this.#spec.onLog?.(
            `I2P destination ${this.address}: publishing failed (${(error as Error).message}); retrying`,
          );
          delay = Math.min(RETRY_MAX_MS, delay * 2);
        }
      }
    }
  }
}

/** One SESSION CREATE with the key, then STREAM FORWARD (silent) to the local port. */
async function publishOnce(spec: PublishSpec, abort: AbortOptions): Promise<SamSession> {
  const session = await spec.client.createSession({
    privateKey: spec.privateKey,
    options: spec.sessionOptions,
    signal: abort.signal,
    timeoutMs: abort.timeoutMs,
  });
  try {
    const forward = await session.forward(spec.localPort, {
      host: '127.0.0.1',
      silent: true,
      signal: abort.signal,
    });
    // The forwarding dies with its connection; without it the destination is useless, so end the session too.
    void forward.closed.then(() => session.close());
    return session;
  } catch (error) {
    await session.close();
    throw error;
  }
}
