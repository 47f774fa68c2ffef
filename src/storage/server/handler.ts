/**
 * The GBS request handler (http-storage-node-protocol.rst): routes a transport-neutral request to the
 * storage backend and answers with the spec's status codes, headers and CBOR bodies. It performs the swissnum
 * check (constant time) before anything else, then the `X-Tahoe-Authorization` secrets (400 when malformed),
 * then the operation. Request bodies are capped per endpoint; PATCH bodies stream to disk.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import type { ShareReader, StorageBackend } from '../backend/backend.js';
import * as be from '../backend/errors.js';
import { parseStorageIndex } from '../backend/storage-index.js';
import { CBOR_MIME_TYPE, decodeCbor, encodeCbor } from '../http/cbor.js';
import { SchemaError } from '../http/errors.js';
import {
  authorizationHeader,
  formatContentRange,
  parseContentRange,
  parseRange,
  parseSecrets,
  type SecretName,
} from '../http/headers.js';
import { type GbsRequest, type GbsResponse, headerValue, headerValues } from '../http/message.js';
import { matchRoute, type Operation, type Route } from '../http/paths.js';
import {
  encodeVersion,
  parseAllocateRequest,
  parseCorruptRequest,
  parseReadTestWriteRequest,
} from '../http/schemas.js';
import { ByteBudget } from './byte-budget.js';
import { BodyTooLargeError, ServerBusyError } from './errors.js';

/** Size limits of the handler. */
export interface HandlerLimits {
  /** Largest read-test-write body (default 64 MiB; Tahoe allows 2^48 but buffers to disk). */
  maxReadTestWriteBody?: number;
  /** Largest PATCH body (one upload chunk; default 64 MiB). */
  maxWriteBody?: number;
  /** Request bytes buffered in memory across all requests (default 256 MiB). */
  maxBufferedBytes?: number;
  /** Chunk size for streaming share reads (default 1 MiB, at most {@link MAX_READ_CHUNK_SIZE}). */
  readChunkSize?: number;
  /**
   * Share-read chunks held in memory across all replies (default 64 MiB). A reply that finds it used up
   * reads {@link MIN_READ_CHUNK_SIZE} at a time instead, so many slow readers cannot exhaust memory.
   */
  maxReadBufferBytes?: number;
}

/** Largest `readChunkSize` accepted. */
export const MAX_READ_CHUNK_SIZE = 16 * 1024 * 1024;
/** Chunk size of share reads when the read buffer budget is used up (and the smallest default). */
export const MIN_READ_CHUNK_SIZE = 64 * 1024;

/** Options of {@link createGbsHandler}. */
export interface HandlerOptions {
  backend: StorageBackend;
  /** The swissnum from the NURL (ASCII). */
  swissnum: string;
  limits?: HandlerLimits;
  /** Told about unexpected failures answered with 500 (the node logs them; the client only sees the status). */
  onInternalError?: (error: unknown, operation: Operation) => void;
}

/** Handles one request. Never rejects: every failure becomes an HTTP error response. */
export type GbsHandler = (request: GbsRequest) => Promise<GbsResponse>;

const REQUIRED_SECRETS: Record<Operation, SecretName[]> = {
  version: [],
  lease: ['lease-renew-secret', 'lease-cancel-secret'],
  allocate: ['lease-renew-secret', 'lease-cancel-secret', 'upload-secret'],
  write: ['upload-secret'],
  abort: ['upload-secret'],
  'list-immutable': [],
  'read-immutable': [],
  'corrupt-immutable': [],
  'read-test-write': ['lease-renew-secret', 'lease-cancel-secret', 'write-enabler'],
  'list-mutable': [],
  'read-mutable': [],
  'corrupt-mutable': [],
};

/** Operations whose reply body is CBOR (content negotiation applies to these). */
const CBOR_REPLIES = new Set<Operation>([
  'version',
  'allocate',
  'write',
  'list-immutable',
  'read-test-write',
  'list-mutable',
]);

class HttpStatus extends Error {
  constructor(
    readonly status: number,
    readonly text = '',
  ) {
    super(text);
  }
}

function textResponse(status: number, text = ''): GbsResponse {
  const body = new TextEncoder().encode(text);
  return { status, headers: text ? { 'content-type': 'text/plain; charset=utf-8' } : {}, body };
}

function acceptsCbor(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) <= 0) return false;
    return type === CBOR_MIME_TYPE || type === '*/*' || type === 'application/*';
  });
}

function statusFor(error: unknown, operation: Operation): HttpStatus {
  if (error instanceof HttpStatus) return error;
  const message = error instanceof Error ? error.message : '';
  if (error instanceof SchemaError) return new HttpStatus(400, message);
  if (error instanceof be.WriteLengthMismatchError) return new HttpStatus(400, message);
  if (error instanceof be.InvalidShareNumberError) return new HttpStatus(400, message);
  if (error instanceof be.InvalidStorageIndexError) return new HttpStatus(404, message);
  if (error instanceof be.ShareNotFoundError) return new HttpStatus(404, message);
  if (error instanceof be.UploadNotFoundError) {
    return new HttpStatus(operation === 'abort' && error.alreadyComplete ? 405 : 404, message);
  }
  if (error instanceof be.UploadSecretMismatchError) return new HttpStatus(401, message);
  if (error instanceof be.BadWriteEnablerError) return new HttpStatus(401, message);
  if (error instanceof be.ConflictingWriteError) return new HttpStatus(409, message);
  if (error instanceof be.ShareKindConflictError) return new HttpStatus(409, message);
  if (error instanceof be.WriteOutOfBoundsError)
    return new HttpStatus(operation === 'write' ? 416 : 413, message);
  if (error instanceof BodyTooLargeError) return new HttpStatus(413, message);
  if (error instanceof ServerBusyError) return new HttpStatus(503, message);
  return new HttpStatus(500, 'internal storage server error');
}

/** Creates the handler for one storage service. */
export function createGbsHandler(options: HandlerOptions): GbsHandler {
  const { backend } = options;
  const expectedAuth = Buffer.from(authorizationHeader(options.swissnum), 'utf8');
  const maxRtw = options.limits?.maxReadTestWriteBody ?? 64 * 1024 * 1024;
  const maxWrite = options.limits?.maxWriteBody ?? 64 * 1024 * 1024;
  const chunkSize = options.limits?.readChunkSize ?? 1024 * 1024;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_READ_CHUNK_SIZE)
    throw new RangeError(`readChunkSize must be an integer 1..${MAX_READ_CHUNK_SIZE}, got ${chunkSize}`);
  const budget = new ByteBudget(options.limits?.maxBufferedBytes ?? 256 * 1024 * 1024);
  const readBudget = new ByteBudget(options.limits?.maxReadBufferBytes ?? 64 * 1024 * 1024);

  async function readCbor(request: GbsRequest, cap: number, what: string): Promise<unknown> {
    const type = headerValue(request.headers, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== undefined && type !== '' && type !== CBOR_MIME_TYPE)
      throw new HttpStatus(415, `unsupported content type ${type}`);
    const declared = Number(headerValue(request.headers, 'content-length') ?? Number.NaN);
    if (declared > cap) throw new BodyTooLargeError(cap, what);
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of request.body) {
        total += chunk.length;
        if (total > cap) throw new BodyTooLargeError(cap, what);
        budget.take(chunk.length);
        chunks.push(chunk);
      }
      return decodeCbor(Buffer.concat(chunks), what);
    } finally {
      budget.give(chunks.reduce((s, c) => s + c.length, 0));
    }
  }

  function cborResponse(status: number, value: unknown): GbsResponse {
    return { status, headers: { 'content-type': CBOR_MIME_TYPE }, body: encodeCbor(value) };
  }

  /**
   * Streams `[begin, end)` of a share through one reader. The share is opened when the body is first pulled
   * and closed when it ends, fails or is abandoned (`return()`, as `for await` does on a client abort), so a
   * body that is never pulled holds no file open. Each chunk's bytes count against `readBudget` until the
   * consumer asks for the next one (by then it has handed the chunk on).
   */
  async function* stream(open: () => Promise<ShareReader>, begin: number, end: number) {
    const reader = await open();
    let held = 0;
    try {
      for (let offset = begin; offset < end; ) {
        const want = Math.min(chunkSize, end - offset);
        const size = want > MIN_READ_CHUNK_SIZE && readBudget.tryTake(want) ? want : 0;
        held = size;
        const data = await reader.read(offset, size || Math.min(want, MIN_READ_CHUNK_SIZE));
        if (data.length === 0) return;
        yield data;
        readBudget.give(held);
        held = 0;
        offset += data.length;
      }
    } finally {
      readBudget.give(held);
      await reader.close();
    }
  }

  function rangeRead(request: GbsRequest, length: number, open: () => Promise<ShareReader>): GbsResponse {
    const header = headerValue(request.headers, 'range');
    const base = { 'content-type': 'application/octet-stream' };
    if (header === undefined) {
      return {
        status: 200,
        headers: { ...base, 'content-length': String(length) },
        body: stream(open, 0, length),
      };
    }
    const range = parseRange(header);
    if (!range) throw new HttpStatus(416, 'only one "bytes=first-last" range is supported');
    const end = Math.min(range.end, length);
    if (range.begin >= end) return { status: 204, headers: {}, body: new Uint8Array(0) };
    return {
      status: 206,
      headers: {
        ...base,
        'content-length': String(end - range.begin),
        'content-range': formatContentRange({ begin: range.begin, end }, length),
      },
      body: stream(open, range.begin, end),
    };
  }

  async function dispatch(
    request: GbsRequest,
    route: Route,
    secrets: Map<SecretName, Uint8Array>,
  ): Promise<GbsResponse> {
    const si = route.storageIndex === undefined ? new Uint8Array(0) : parseStorageIndex(route.storageIndex);
    const shnum = route.shareNumber ?? 0;
    const secret = (name: SecretName): Uint8Array => secrets.get(name)!;
    switch (route.operation) {
      case 'version':
        return cborResponse(200, encodeVersion(await backend.getVersion()));
      case 'lease':
        await backend.addOrRenewLease(si, secret('lease-renew-secret'), secret('lease-cancel-secret'));
        return { status: 204, headers: {}, body: new Uint8Array(0) };
      case 'allocate': {
        const body = parseAllocateRequest(await readCbor(request, 8192, 'allocate request'));
        const result = await backend.allocateBuckets(si, {
          renewSecret: secret('lease-renew-secret'),
          cancelSecret: secret('lease-cancel-secret'),
          uploadSecret: secret('upload-secret'),
          ...body,
        });
        return cborResponse(
          200,
          new Map([
            ['already-have', new Set(result.alreadyHave)],
            ['allocated', new Set(result.allocated)],
          ]),
        );
      }
      case 'write': {
        const header = headerValue(request.headers, 'content-range');
        const range = header === undefined ? undefined : parseContentRange(header);
        if (!range) throw new HttpStatus(416, 'a "Content-Range: bytes first-last/total" header is required');
        const length = range.end - range.begin;
        if (length > maxWrite) throw new BodyTooLargeError(maxWrite, 'upload chunk');
        const result = await backend.writeImmutable(
          si,
          shnum,
          secret('upload-secret'),
          range.begin,
          length,
          request.body,
        );
        const required = result.required.map(
          (r) =>
            new Map([
              ['begin', r.begin],
              ['end', r.end],
            ]),
        );
        return cborResponse(result.complete ? 201 : 200, new Map([['required', required]]));
      }
      case 'abort':
        await backend.abortImmutable(si, shnum, secret('upload-secret'));
        return { status: 200, headers: {}, body: new Uint8Array(0) };
      case 'list-immutable':
        return cborResponse(200, new Set(await backend.listImmutable(si)));
      case 'read-immutable': {
        const length = await backend.immutableShareLength(si, shnum);
        return rangeRead(request, length, () => backend.openImmutableReader(si, shnum));
      }
      case 'corrupt-immutable':
      case 'corrupt-mutable': {
        const kind = route.operation === 'corrupt-immutable' ? 'immutable' : 'mutable';
        const present =
          kind === 'immutable' ? await backend.listImmutable(si) : await backend.listMutable(si);
        if (!present.includes(shnum)) throw new HttpStatus(404, `no ${kind} share ${shnum}`);
        const reason = parseCorruptRequest(await readCbor(request, 32768, 'corruption advisory'));
        await backend.adviseCorruptShare(kind, si, shnum, reason);
        return { status: 200, headers: {}, body: new Uint8Array(0) };
      }
      case 'read-test-write': {
        const body = parseReadTestWriteRequest(await readCbor(request, maxRtw, 'read-test-write request'));
        const result = await backend.readTestWrite(si, {
          writeEnabler: secret('write-enabler'),
          renewSecret: secret('lease-renew-secret'),
          cancelSecret: secret('lease-cancel-secret'),
          ...body,
        });
        return cborResponse(
          200,
          new Map<string, unknown>([
            ['success', result.success],
            ['data', result.data],
          ]),
        );
      }
      case 'list-mutable':
        return cborResponse(200, new Set(await backend.listMutable(si)));
      case 'read-mutable': {
        const length = await backend.mutableShareLength(si, shnum);
        return rangeRead(request, length, () => backend.openMutableReader(si, shnum));
      }
    }
  }

  return async (request: GbsRequest): Promise<GbsResponse> => {
    const route = matchRoute(request.method, request.path);
    if (route === undefined) return textResponse(404, 'no such resource');
    if (route === 'method-not-allowed') return textResponse(405, `method ${request.method} not allowed here`);
    const auth = Buffer.from(headerValue(request.headers, 'authorization') ?? '', 'utf8');
    if (auth.length !== expectedAuth.length || !timingSafeEqual(auth, expectedAuth)) {
      return textResponse(401, 'wrong or missing Authorization header');
    }
    try {
      const secrets = parseSecrets(
        headerValues(request.headers, 'x-tahoe-authorization'),
        REQUIRED_SECRETS[route.operation],
      );
      if (CBOR_REPLIES.has(route.operation) && !acceptsCbor(headerValue(request.headers, 'accept')))
        throw new HttpStatus(406, `only ${CBOR_MIME_TYPE} is offered`);
      return await dispatch(request, route, secrets);
    } catch (error) {
      const status = statusFor(error, route.operation);
      if (status.status === 500) options.onInternalError?.(error, route.operation);
      return textResponse(status.status, status.text);
    }
  };
}
