/**
 * Writing answers: text, JSON, HTML and errors, and streaming a body with backpressure.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LafsError } from '../../errors.js';
import { CorruptFileError, NotEnoughSharesError } from '../../storage/chk/errors.js';
import { DownloadError } from '../../storage/client/errors.js';
import { type AbortOptions, raceAbort } from '../../util/abort.js';
import { GatewayError, MethodNotAllowedError, RangeNotSatisfiableError } from './errors.js';

/** Sends `body` with `status` and `contentType` (and Content-Length). */
export function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Sends `value` as JSON. */
export function sendJson(res: ServerResponse, value: unknown, status = 200): void {
  send(res, status, 'application/json', `${JSON.stringify(value, null, 1)}\n`);
}

/**
 * The status and text for an error, as Tahoe's `humanize_exception` would answer: the gateway's own errors
 * with their status, unrecoverable files 410 Gone, other lafs errors 500 with their (cap-free) message, and
 * anything else 500 with a short text and no stack.
 */
export function describeError(error: unknown): { status: number; text: string } {
  if (error instanceof GatewayError) return { status: error.status, text: error.message };
  if (
    error instanceof DownloadError ||
    error instanceof NotEnoughSharesError ||
    error instanceof CorruptFileError
  ) {
    return {
      status: 410,
      text: `NotEnoughSharesError: this file cannot be recovered from the shares the gateway found. ${error.message}`,
    };
  }
  if (error instanceof LafsError && error.kind === 'input') return { status: 400, text: error.message };
  if (error instanceof LafsError) return { status: 500, text: `${error.name}: ${error.message}` };
  return { status: 500, text: 'internal server error (see the node log)' };
}

/** Answers with the error's status and text, or, if the answer has begun, cuts the connection. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined);
    return;
  }
  const { status, text } = describeError(error);
  const headers: Record<string, string> = {};
  if (error instanceof MethodNotAllowedError) headers.Allow = error.allow.join(', ');
  if (error instanceof RangeNotSatisfiableError) headers['Content-Range'] = `bytes */${error.size}`;
  const bytes = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': bytes.length,
  });
  res.end(bytes);
}

/** Writes `chunk`, waiting for `drain` when the socket's buffer is full. */
export async function writeChunk(
  res: ServerResponse,
  chunk: Uint8Array,
  options: AbortOptions,
): Promise<void> {
  if (res.write(chunk)) return;
  await raceAbort(
    new Promise<void>((resolve, reject) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', closed);
        resolve();
      };
      const closed = (): void => {
        res.off('drain', done);
        res.off('close', closed);
        reject(new Error('the client closed the connection'));
      };
      res.on('drain', done);
      res.on('close', closed);
    }),
    options.signal,
    'sending the response',
  );
}

/** The request's query arguments and its path split at `/` (each segment URL-decoded). */
export function parseTarget(req: IncomingMessage): { segments: string[]; query: URLSearchParams } {
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const segments = url.pathname
    .split('/')
    .slice(1)
    .map((s, i) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new GatewayError(
          'ERR_GATEWAY_BAD_REQUEST',
          400,
          `path segment ${i + 1} is not valid percent-encoding`,
        );
      }
    });
  return { segments, query: url.searchParams };
}
