/**
 * Serves a {@link GbsHandler} on a `node:http`/`node:https` server: translates Node's request and response
 * objects, streams share data with backpressure, and closes the connection after an error response to a
 * request whose body was not read (so an oversized body is not drained into the void).
 *
 * @module
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { drainOrClose } from '../../util/drain-or-close.js';
import type { GbsHandler } from './handler.js';

async function respond(handler: GbsHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const response = await handler({
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headersDistinct,
    body: req,
  });
  const headers: Record<string, string> = { ...response.headers };
  const unread = !req.complete;
  if (unread && response.status >= 400) headers.connection = 'close';
  if (response.body instanceof Uint8Array) {
    headers['content-length'] = String(response.body.length);
    res.writeHead(response.status, headers);
    res.end(response.body);
  } else {
    res.writeHead(response.status, headers);
    // Leaving the loop early ends the body's iterator, which closes the share it reads.
    for await (const chunk of response.body) {
      if (res.destroyed) return;
      // A client that goes away never drains: wait for whichever comes first.
      if (!res.write(chunk)) await drainOrClose(res);
      if (res.destroyed) return;
    }
    res.end();
  }
  if (unread && response.status >= 400) {
    const socket = req.socket;
    res.once('finish', () => socket?.end());
  }
}

/** Routes every request of `server` to `handler`. */
export function serveGbs(server: Server, handler: GbsHandler): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    respond(handler, req, res).catch(() => {
      // The handler never rejects; this is a socket failure mid-stream. Drop the connection.
      res.destroy();
    });
  });
}
