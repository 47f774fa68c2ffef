/**
 * The HTTP calls the CLI makes to a node's web gateway, on `node:http`: request bodies and responses are
 * streamed (a file never sits in memory), with an idle timeout and byte counts for progress bars.
 *
 * @module
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GatewayConnectionError, GatewayResponseError } from './client-errors.js';

/** Options of {@link gatewayRequest}. */
export interface GatewayRequestOptions {
  method?: string;
  /** The request body, streamed. */
  body?: Readable;
  /** Sent as Content-Length when known (else the body is chunked). */
  contentLength?: number | undefined;
  headers?: Record<string, string>;
  /** Abort when no data moves for this long (default 10 minutes: the gateway may hash a large file first). */
  idleTimeoutMs?: number;
}

/** Bytes of an error or JSON answer the CLI reads at most. */
const MAX_TEXT_BYTES = 4 * 1024 * 1024;

function connectionError(url: URL, error: unknown): GatewayConnectionError {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code ?? (error instanceof Error ? error.message : String(error));
  return new GatewayConnectionError(`cannot talk to the node's web gateway at ${url.origin}: ${why}`, {
    cause: error,
  });
}

/** Sends a request to the gateway and resolves with the response once its headers arrive. */
export function gatewayRequest(url: URL, options: GatewayRequestOptions = {}): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<IncomingMessage>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...options.headers };
    if (options.contentLength !== undefined) headers['Content-Length'] = options.contentLength;
    const req = request(url, { method: options.method ?? 'GET', headers }, (res) => {
      res.setTimeout(options.idleTimeoutMs ?? 600_000, () =>
        res.destroy(connectionError(url, new Error('the gateway stopped sending'))),
      );
      resolve(res);
    });
    req.setTimeout(options.idleTimeoutMs ?? 600_000, () =>
      req.destroy(new Error('no answer from the gateway (timed out)')),
    );
    req.on('error', (error) => reject(connectionError(url, error)));
    if (options.body) pipeline(options.body, req).catch((error) => reject(connectionError(url, error)));
    else req.end();
  });
}

/** Reads a (bounded) text response. */
export async function readText(res: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_TEXT_BYTES) {
      res.destroy();
      throw new GatewayResponseError(
        res.statusCode ?? 0,
        `the gateway's answer is larger than ${MAX_TEXT_BYTES} bytes`,
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Throws {@link GatewayResponseError} with the gateway's text unless the status is one of `ok`. */
export async function expectStatus(res: IncomingMessage, ok: number[] = [200]): Promise<void> {
  const status = res.statusCode ?? 0;
  if (ok.includes(status)) return;
  const text = (await readText(res).catch(() => '')).trim();
  throw new GatewayResponseError(
    status,
    `the gateway answered ${status}: ${text || res.statusMessage || ''}`,
  );
}

/** GETs `url` and parses the JSON answer. */
export async function getJson(url: URL): Promise<unknown> {
  const res = await gatewayRequest(url);
  await expectStatus(res);
  const text = await readText(res);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatewayResponseError(
      res.statusCode ?? 0,
      `the gateway's answer from ${url.pathname} is not JSON`,
    );
  }
}
