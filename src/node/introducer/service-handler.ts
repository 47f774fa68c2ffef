/**
 * The introducer's request handler (see wire.ts for the protocol): verifies published announcements, keeps the
 * newest per (service, server) in a bounded {@link AnnouncementTable}, and answers subscribers' long polls.
 * Mirrors Tahoe-LAFS `introducer/server.py` `IntroducerService` (`_publish`, `add_subscriber`).
 *
 * @module
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { base32Encode } from '../../crypto/base32.js';
import { AnnouncementTable } from './announcement-table.js';
import { AnnouncementRejectedError } from './errors.js';
import { verifyAnnouncement } from './signed-announcement.js';
import {
  API_PREFIX,
  authorizationFor,
  formatCursor,
  INTRODUCER_V2,
  MAX_PUBLISH_BODY,
  parseCursor,
} from './wire.js';

/** Bounds of an introducer. */
export interface IntroducerLimits {
  /** Announcements kept (one per service and server; default 1000). */
  maxAnnouncements?: number;
  /** Long polls open at once (default 1000); more get 503. */
  maxSubscribers?: number;
  /** The longest a long poll waits, in seconds (default 60). */
  maxWaitSeconds?: number;
  /** Announcements per subscribe response (default 200); the client asks again for the rest. */
  maxPerResponse?: number;
}

/** The handler plus its state. */
export interface IntroducerHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly table: AnnouncementTable;
  /** Identifies this run; cursors of other runs are ignored. */
  readonly epoch: string;
  /** Answers every waiting long poll now (before shutting down). */
  wakeAll(): void;
}

/** A response to send: status and JSON body. */
interface Reply {
  status: number;
  body: unknown;
}

function reply(status: number, body: unknown): Reply {
  return { status, body };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Creates the handler for an introducer whose secret is `swissnum`. */
export function createIntroducerHandler(options: {
  swissnum: string;
  applicationVersion: string;
  limits?: IntroducerLimits;
}): IntroducerHandler {
  const maxWait = options.limits?.maxWaitSeconds ?? 60;
  const maxSubscribers = options.limits?.maxSubscribers ?? 1000;
  const maxPerResponse = options.limits?.maxPerResponse ?? 200;
  const table = new AnnouncementTable(options.limits?.maxAnnouncements ?? 1000);
  const epoch = base32Encode(randomBytes(10));
  const expectedAuth = Buffer.from(authorizationFor(options.swissnum));
  const waiters = new Set<(force: boolean) => void>();

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(String(req.headers.authorization ?? ''));
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  const publish = async (req: IncomingMessage): Promise<Reply> => {
    const body = await readBody(req, MAX_PUBLISH_BODY);
    if (body === undefined) return reply(413, { error: `the body exceeds ${MAX_PUBLISH_BODY} bytes` });
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return reply(400, { error: 'the body is not JSON' });
    }
    let verified: ReturnType<typeof verifyAnnouncement>;
    try {
      verified = verifyAnnouncement(parsed, 'the published announcement');
    } catch (error) {
      if (error instanceof AnnouncementRejectedError) return reply(400, { error: error.message });
      throw error;
    }
    const result = table.offer(verified);
    if (result === 'full') return reply(503, { error: 'the introducer holds its maximum of announcements' });
    if (result === 'stale') {
      const current = table.get(verified.serviceName, verified.keyString)?.seqnum;
      return reply(409, {
        result,
        current,
        error: `seqnum ${verified.seqnum} is not newer than ${current}`,
      });
    }
    if (result !== 'duplicate') for (const wake of [...waiters]) wake(false);
    return reply(200, { result, epoch });
  };

  const subscribe = (url: URL, res: ServerResponse): Reply | undefined => {
    const service = url.searchParams.get('service') ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(service))
      return reply(400, { error: 'the "service" parameter must name a service, e.g. service=storage' });
    const cursor = parseCursor(url.searchParams.get('since'));
    const since = cursor?.epoch === epoch ? cursor.change : 0;
    const waitText = url.searchParams.get('wait') ?? '0';
    const wait = /^\d{1,6}$/.test(waitText) ? Math.min(Number(waitText), maxWait) : Number.NaN;
    if (Number.isNaN(wait)) return reply(400, { error: '"wait" must be a whole number of seconds' });
    const answer = (): Reply => {
      const changed = table.list(service, since);
      const page = changed.slice(0, maxPerResponse);
      const last = page.length > 0 ? (page[page.length - 1]?.change ?? since) : table.lastChange;
      return reply(200, {
        cursor: formatCursor({ epoch, change: Math.max(last, since) }),
        announcements: page.map((e) => e.signed),
        more: changed.length > page.length,
      });
    };
    if (table.list(service, since).length > 0 || wait === 0) return answer();
    if (waiters.size >= maxSubscribers) return reply(503, { error: 'too many subscribers are waiting' });
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      waiters.delete(wake);
      clearTimeout(timer);
      res.off('close', done);
    };
    function wake(force: boolean): void {
      if (!force && table.list(service, since).length === 0) return;
      done();
      const { status, body } = answer();
      send(res, status, body);
    }
    timer = setTimeout(() => wake(true), wait * 1000);
    waiters.add(wake);
    res.once('close', done);
    return undefined;
  };

  // Long poll that ends when the caller's epoch is not ours (we restarted) or after `wait` seconds: lets a
  // publisher that subscribes to nothing notice a restart and publish again.
  const watch = (url: URL, res: ServerResponse): Reply | undefined => {
    const waitText = url.searchParams.get('wait') ?? '0';
    const wait = /^\d{1,6}$/.test(waitText) ? Math.min(Number(waitText), maxWait) : Number.NaN;
    if (Number.isNaN(wait)) return reply(400, { error: '"wait" must be a whole number of seconds' });
    if (url.searchParams.get('epoch') !== epoch || wait === 0) return reply(200, { epoch });
    if (waiters.size >= maxSubscribers) return reply(503, { error: 'too many subscribers are waiting' });
    const done = (): void => {
      waiters.delete(wake);
      clearTimeout(timer);
      res.off('close', done);
    };
    function wake(force: boolean): void {
      if (!force) return;
      done();
      send(res, 200, { epoch });
    }
    const timer = setTimeout(() => wake(true), wait * 1000);
    waiters.add(wake);
    res.once('close', done);
    return undefined;
  };

  const route = (req: IncomingMessage, res: ServerResponse): Reply | Promise<Reply> | undefined => {
    const url = new URL(req.url ?? '/', 'https://introducer.invalid');
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) return reply(404, { error: 'not found' });
    if (!authorized(req)) return reply(401, { error: 'missing or wrong Authorization (the swissnum)' });
    const name = `${req.method} ${url.pathname.slice(API_PREFIX.length)}`;
    if (name === 'GET /version')
      return reply(200, { [INTRODUCER_V2]: {}, 'application-version': options.applicationVersion });
    if (name === 'POST /publish') return publish(req);
    if (name === 'GET /subscribe') return subscribe(url, res);
    if (name === 'GET /watch') return watch(url, res);
    return reply(404, { error: `no endpoint ${name}` });
  };

  const handler = ((req: IncomingMessage, res: ServerResponse) => {
    Promise.resolve(route(req, res)).then(
      (r) => {
        if (r !== undefined) send(res, r.status, r.body);
      },
      () => send(res, 500, { error: 'internal error' }),
    );
  }) as IntroducerHandler;
  Object.defineProperties(handler, {
    table: { value: table },
    epoch: { value: epoch },
    wakeAll: {
      value: () => {
        for (const wake of [...waiters]) wake(true);
      },
    },
  });
  return handler;
}
