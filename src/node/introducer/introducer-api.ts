/**
 * The client side of the introducer protocol (wire.ts): one method per request, over pinned HTTPS transports
 * (one per location in the URL, tried in turn after a failure) opened through the caller's connector.
 *
 * @module
 */
import { AbortError } from '../../errors.js';
import {
  type ClosableTransport,
  type Connector,
  createHttpsTransport,
} from '../../storage/http/https-transport.js';
import type { GbsResponse } from '../../storage/http/message.js';
import type { AbortOptions } from '../../util/abort.js';
import { IntroducerProtocolError } from './errors.js';
import type { IntroducerUrl } from './introducer-url.js';
import type { SignedAnnouncement } from './signed-announcement.js';
import {
  API_PREFIX,
  authorizationFor,
  EPOCH,
  MAX_SUBSCRIBE_RESPONSE,
  parseCursor,
  parseJsonObject,
  readCapped,
} from './wire.js';

/** What a publish request did. */
export type PublishOutcome =
  | { result: 'new' | 'updated' | 'duplicate'; epoch: string | undefined }
  | { result: 'stale'; current: number | undefined };

/** One subscribe answer. */
export interface SubscribeAnswer {
  cursor: string;
  epoch: string;
  /** Still unverified signed announcements. */
  announcements: unknown[];
  more: boolean;
}

/** Requests to one introducer. */
export class IntroducerApi {
  readonly #url: IntroducerUrl;
  readonly #connect: Connector | undefined;
  readonly #maxSockets: number;
  readonly #connectTimeoutMs: number | undefined;
  readonly #transports = new Map<number, ClosableTransport>();
  #location = 0;

  constructor(
    url: IntroducerUrl,
    options: { connect?: Connector; maxSockets?: number; connectTimeoutMs?: number } = {},
  ) {
    this.#url = url;
    this.#connect = options.connect;
    this.#maxSockets = options.maxSockets ?? 4;
    this.#connectTimeoutMs = options.connectTimeoutMs;
  }

  #transport(): ClosableTransport {
    const index = this.#location % this.#url.locations.length;
    let transport = this.#transports.get(index);
    if (transport === undefined) {
      const location = this.#url.locations[index];
      if (location === undefined) throw new RangeError('the introducer URL has no locations');
      transport = createHttpsTransport({
        nurl: {
          scheme: 'pb',
          spkiHash: this.#url.spkiHash,
          host: location.host,
          port: location.port,
          swissnum: '',
        },
        connect: this.#connect,
        maxSockets: this.#maxSockets,
        connectTimeoutMs: this.#connectTimeoutMs,
      });
      this.#transports.set(index, transport);
    }
    return transport;
  }

  /** Tries the next location on the next request (after a network failure). */
  rotate(): void {
    this.#location++;
  }

  async #request(
    method: string,
    path: string,
    body: Uint8Array | undefined,
    limit: number,
    operation: string,
    options: AbortOptions,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const headers: Record<string, string> = { authorization: authorizationFor(this.#url.swissnum) };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(body.length);
    }
    let response: GbsResponse;
    try {
      response = await this.#transport().send(
        { method, path: `${API_PREFIX}${path}`, headers, body: body === undefined ? [] : [body] },
        options,
      );
    } catch (error) {
      if (error instanceof AbortError) throw error;
      throw new IntroducerProtocolError(
        operation,
        undefined,
        `cannot reach the introducer: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    try {
      const bytes = await readCapped(response.body, limit, operation);
      return { status: response.status, json: parseJsonObject(bytes, operation, response.status) };
    } catch (error) {
      (response.body as { destroy?: () => void }).destroy?.();
      throw error;
    }
  }

  /** `POST /publish`. */
  async publish(signed: SignedAnnouncement, options: AbortOptions = {}): Promise<PublishOutcome> {
    const body = new TextEncoder().encode(JSON.stringify(signed));
    const { status, json } = await this.#request('POST', '/publish', body, 64 * 1024, 'publish', options);
    if (status === 409 && json.result === 'stale')
      return { result: 'stale', current: typeof json.current === 'number' ? json.current : undefined };
    const result = json.result;
    if (status !== 200 || (result !== 'new' && result !== 'updated' && result !== 'duplicate'))
      throw new IntroducerProtocolError(
        'publish',
        status,
        String(json.error ?? JSON.stringify(json)).slice(0, 500),
      );
    return { result, epoch: typeof json.epoch === 'string' ? json.epoch : undefined };
  }

  /** `GET /subscribe` (a long poll of up to `waitSeconds`). */
  async subscribe(
    service: string,
    since: string | undefined,
    waitSeconds: number,
    options: AbortOptions = {},
  ): Promise<SubscribeAnswer> {
    const query = new URLSearchParams({ service, wait: String(waitSeconds) });
    if (since !== undefined) query.set('since', since);
    const operation = `subscribe to ${service}`;
    const { status, json } = await this.#request(
      'GET',
      `/subscribe?${query}`,
      undefined,
      MAX_SUBSCRIBE_RESPONSE,
      operation,
      options,
    );
    if (status !== 200)
      throw new IntroducerProtocolError(
        operation,
        status,
        String(json.error ?? 'unexpected answer').slice(0, 500),
      );
    const cursor = typeof json.cursor === 'string' ? parseCursor(json.cursor) : undefined;
    if (cursor === undefined || !Array.isArray(json.announcements))
      throw new IntroducerProtocolError(operation, status, 'the answer lacks "cursor" or "announcements"');
    return {
      cursor: json.cursor as string,
      epoch: cursor.epoch,
      announcements: json.announcements,
      more: json.more === true,
    };
  }

  /** `GET /watch`: resolves with the introducer's epoch, at once if it is not `epoch`, else after `waitSeconds`. */
  async watch(epoch: string | undefined, waitSeconds: number, options: AbortOptions = {}): Promise<string> {
    const query = new URLSearchParams({ epoch: epoch ?? '', wait: String(waitSeconds) });
    const { status, json } = await this.#request('GET', `/watch?${query}`, undefined, 4096, 'watch', options);
    if (status !== 200 || typeof json.epoch !== 'string' || !EPOCH.test(json.epoch))
      throw new IntroducerProtocolError(
        'watch',
        status,
        String(json.error ?? 'the answer lacks "epoch"').slice(0, 500),
      );
    return json.epoch;
  }

  /** Closes pooled connections. */
  close(): void {
    for (const t of this.#transports.values()) t.close();
    this.#transports.clear();
  }
}
