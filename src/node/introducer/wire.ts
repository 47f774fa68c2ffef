/**
 * The introducer's HTTPS protocol, shared by the service and the client. It carries Tahoe-LAFS's
 * `RIIntroducerPublisherAndSubscriberService_v2` (`introducer/interfaces.py`: `publish_v2`, `subscribe_v2`,
 * `announce_v2`) over plain HTTPS requests, so it works through Tor and I2P streams:
 *
 * - `GET  /introducer/v1/version` → `{"http://allmydata.org/tahoe/protocols/introducer/v2": {},
 *   "application-version": "..."}`
 * - `POST /introducer/v1/publish`, body a {@link SignedAnnouncement} as JSON → 200 `{"result": "new" | "updated" |
 *   "duplicate"}`, 409 `{"result": "stale"}`, 400 `{"error"}` (malformed or bad signature), 503 when full.
 * - `GET  /introducer/v1/subscribe?service=NAME&since=CURSOR&wait=SECONDS` (long poll) → 200
 *   `{"cursor", "announcements": [SignedAnnouncement...], "more": bool}`: every announcement of `NAME` changed
 *   after `CURSOR`, answered at once if there are any, else when one arrives or after `wait` seconds. A cursor
 *   from another run of the introducer (its `epoch` differs) counts as none, so a restarted introducer
 *   resends everything.
 *
 * - `GET  /introducer/v1/watch?epoch=EPOCH&wait=SECONDS` (long poll) → 200 `{"epoch"}`: at once if `EPOCH` is not
 *   the introducer's, else after `wait` seconds. Publishers that subscribe to nothing use it to notice a restart.
 *
 * Every request carries `Authorization: Tahoe-LAFS <base64 swissnum>`, as the HTTP storage protocol does.
 *
 * @module
 */
import { IntroducerProtocolError } from './errors.js';

/** The path prefix of every endpoint. */
export const API_PREFIX = '/introducer/v1';
/** The protocol name Tahoe's introducer advertises in its version dictionary. */
export const INTRODUCER_V2 = 'http://allmydata.org/tahoe/protocols/introducer/v2';
/** The largest publish request body accepted. */
export const MAX_PUBLISH_BODY = 32 * 1024;
/** The largest subscribe response a client reads (bounded by announcements per response). */
export const MAX_SUBSCRIBE_RESPONSE = 16 * 1024 * 1024;

/** The value of the `Authorization` header for `swissnum`. */
export function authorizationFor(swissnum: string): string {
  return `Tahoe-LAFS ${Buffer.from(swissnum, 'utf8').toString('base64')}`;
}

/** A subscription cursor: the introducer run's epoch and the last change seen. */
export interface Cursor {
  epoch: string;
  change: number;
}

/** Formats a cursor as `EPOCH.CHANGE`. */
export function formatCursor(cursor: Cursor): string {
  return `${cursor.epoch}.${cursor.change}`;
}

/** The shape of an introducer epoch (base32 of 10 random bytes). */
export const EPOCH = /^[a-z2-7]{1,32}$/;

/** Parses `EPOCH.CHANGE`, or returns `undefined` for anything else. */
export function parseCursor(text: string | null | undefined): Cursor | undefined {
  const m = /^([a-z2-7]{1,32})\.(\d{1,15})$/.exec(text ?? '');
  return m ? { epoch: m[1] ?? '', change: Number(m[2]) } : undefined;
}

/** Reads at most `limit` bytes of a body, throwing {@link IntroducerProtocolError} beyond that. */
export async function readCapped(
  body: Uint8Array | AsyncIterable<Uint8Array>,
  limit: number,
  operation: string,
): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.length > limit)
      throw new IntroducerProtocolError(operation, undefined, `the response exceeds ${limit} bytes`);
    return body;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit)
      throw new IntroducerProtocolError(operation, undefined, `the response exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON object body, throwing {@link IntroducerProtocolError} naming `operation` otherwise. */
export function parseJsonObject(
  bytes: Uint8Array,
  operation: string,
  status: number,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new IntroducerProtocolError(operation, status, 'the response is not UTF-8 JSON', { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new IntroducerProtocolError(operation, status, 'the response is not a JSON object');
  return value as Record<string, unknown>;
}
