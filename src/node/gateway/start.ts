/**
 * The web gateway (Tahoe-LAFS "web-API", `docs/frontends/webapi.rst`) on `node:http`: uploads and downloads of
 * immutable files, the welcome page and the status page. Binds 127.0.0.1 by default: the gateway holds the
 * node's authority, so it must not be reachable from elsewhere.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { combineSignals, sleep } from '../../util/abort.js';
import type { GatewayBackend } from './backend.js';
import type { GatewayContext, GatewayLimits } from './context.js';
import { handleFileGet, handleFileJson, parseCapArgument } from './downloads.js';
import { BadRequestError, MethodNotAllowedError, NotFoundError } from './errors.js';
import { handleStatus, handleWelcome } from './pages.js';
import { describeError, parseTarget, sendError } from './respond.js';
import { TransferTracker } from './transfers.js';
import { handlePostUpload, handlePutUri } from './uploads.js';

/** Options of {@link startWebGateway}. */
export interface WebGatewayOptions {
  /** Where to listen (default 127.0.0.1 and an ephemeral port; Tahoe's default is 3456). */
  listen?: { host?: string; port?: number };
  backend: GatewayBackend;
  limits?: Partial<GatewayLimits>;
  /** Told about every request that failed with a 500 (for the node's log; caps never appear in it). */
  onError?: (error: unknown) => void;
}

/** A running gateway. */
export interface WebGateway {
  /** The base URL, e.g. `http://127.0.0.1:3456/` (what Tahoe writes to `node.url`). */
  url: string;
  /** The record of transfers (for tests and the node). */
  tracker: TransferTracker;
  /**
   * Stops listening, lets requests in flight finish for up to `drainMs` (default 0), then aborts those left and
   * closes every connection.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

const DEFAULT_LIMITS: GatewayLimits = {
  maxHeaderBytes: 16 * 1024,
  maxUploadBytes: 64 * 1024 ** 3,
  requestTimeoutMs: 6 * 3600_000,
  idleTimeoutMs: 120_000,
  headersTimeoutMs: 30_000,
};

function allow(method: string | undefined, path: string, allowed: string[]): void {
  if (!allowed.includes(method ?? '')) throw new MethodNotAllowedError(method ?? '?', path, allowed);
}

/** Routes one request (paths as in webapi.rst). */
async function route(
  ctx: GatewayContext,
  req: IncomingMessage,
  res: ServerResponse,
  signal: AbortSignal | undefined,
): Promise<void> {
  const { segments, query } = parseTarget(req);
  const json = query.get('t') === 'json';
  const [first = '', second, ...rest] = segments;
  if (first === '' && segments.length <= 1) {
    allow(req.method, '/', ['GET', 'HEAD']);
    return handleWelcome(res, ctx.backend.welcome(), json);
  }
  if (first === 'status' && (second === undefined || second === '')) {
    allow(req.method, '/status', ['GET', 'HEAD']);
    return handleStatus(res, ctx.tracker, json);
  }
  if (first === 'uri' && (second === undefined || second === '')) {
    if (req.method === 'PUT') return handlePutUri(ctx, req, res, query, signal);
    if (req.method === 'POST') {
      if (query.get('t') !== 'upload' && query.get('t') !== null)
        throw new BadRequestError(`POST /uri supports t=upload only, got t=${query.get('t')}`);
      return handlePostUpload(ctx, req, res, query, signal);
    }
    allow(req.method, '/uri', ['GET', 'PUT', 'POST']);
    // `GET /uri?uri=$CAP` (the welcome page's form) redirects to `/uri/$CAP`.
    const cap = query.get('uri');
    if (!cap) throw new BadRequestError('GET /uri needs a uri= argument');
    parseCapArgument(cap);
    res.writeHead(303, { Location: `/uri/${encodeURIComponent(cap.trim())}` });
    res.end();
    return;
  }
  if (first === 'uri' && second !== undefined && rest.length === 0) {
    allow(req.method, '/uri/$CAP', ['GET', 'HEAD']);
    const cap = parseCapArgument(second);
    if (json) return handleFileJson(res, cap);
    if (query.get('t') !== null)
      throw new BadRequestError(`GET /uri/$FILECAP supports t=json only, got t=${query.get('t')}`);
    const name = query.get('filename') ?? undefined;
    return handleFileGet(ctx, req, res, cap, { name, save: query.get('save') === 'true', signal });
  }
  if (first === 'named' && second !== undefined && rest.length > 0) {
    allow(req.method, '/named/$CAP/NAME', ['GET', 'HEAD']);
    const cap = parseCapArgument(second);
    const name = rest[rest.length - 1]!;
    return handleFileGet(ctx, req, res, cap, { name, save: query.get('save') === 'true', signal });
  }
  if (first === 'uri' || first === 'named') {
    throw new NotFoundError(
      'paths below a file cap are not supported: this gateway serves files, not directories',
    );
  }
  throw new NotFoundError(`no such page: /${first}`);
}

/**
 * Starts the web gateway. Requests are bounded: header size and time, idle time, body size and a deadline
 * for the whole request. Errors answer as Tahoe does: 400 for a bad cap or argument (the cap redacted), 404,
 * 405, 410 for a file that cannot be recovered, 413, 416, 501 for caps not supported yet, and 500 with a short
 * text (never a stack).
 */
export async function startWebGateway(options: WebGatewayOptions): Promise<WebGateway> {
  const limits: GatewayLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const ctx: GatewayContext = { backend: options.backend, tracker: new TransferTracker(), limits };
  const inFlight = new Set<AbortController>();
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      requestTimeout: limits.requestTimeoutMs,
      headersTimeout: limits.headersTimeoutMs,
    },
    (req, res) => {
      const controller = new AbortController();
      inFlight.add(controller);
      res.on('close', () => {
        if (!res.writableFinished) controller.abort(new Error('the client went away'));
        inFlight.delete(controller);
      });
      const signal = combineSignals(
        { signal: controller.signal, timeoutMs: limits.requestTimeoutMs },
        'the request',
      );
      route(ctx, req, res, signal).catch((error: unknown) => {
        if (!res.headersSent && !req.complete) res.setHeader('Connection', 'close');
        if (describeError(error).status >= 500) options.onError?.(error);
        sendError(res, error);
      });
    },
  );
  server.timeout = limits.idleTimeoutMs;
  const host = options.listen?.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen?.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    tracker: ctx.tracker,
    close: async (closeOptions = {}) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + (closeOptions.drainMs ?? 0);
      while (inFlight.size > 0 && Date.now() < deadline) await sleep(Math.min(50, deadline - Date.now()));
      for (const c of inFlight) c.abort(new Error('the gateway is shutting down'));
      server.closeAllConnections();
      await closed;
    },
  };
}
