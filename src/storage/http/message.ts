/**
 * Transport-neutral HTTP messages: the GBS request handler maps a {@link GbsRequest} to a {@link GbsResponse}
 * without knowing about sockets, so it runs in-process (tests) and behind `node:https` alike; the client
 * sends through a {@link Transport}.
 *
 * @module
 */
import type { AbortOptions } from '../../util/abort.js';

/** Header values as received: lower-case names, repeated headers as arrays. */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** One HTTP request. */
export interface GbsRequest {
  method: string;
  /** Path plus optional query, e.g. `/storage/v1/version`. */
  path: string;
  headers: HeaderMap;
  /** The body, streamed. */
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** One HTTP response. */
export interface GbsResponse {
  status: number;
  headers: Record<string, string>;
  /** The body: bytes, or a stream for share data. */
  body: Uint8Array | AsyncIterable<Uint8Array>;
}

/** Sends one request and resolves with the response (its body still streaming). */
export type Transport = (request: GbsRequest, options?: AbortOptions) => Promise<GbsResponse>;

/** All values of header `name` (case-insensitive lookup on lower-case maps). */
export function headerValues(headers: HeaderMap, name: string): string[] {
  const v = headers[name.toLowerCase()];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The first value of header `name`, or `undefined`. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  return headerValues(headers, name)[0];
}
