/**
 * A low-level GBS client: one method per endpoint of http-storage-node-protocol.rst, typed replies, typed
 * errors for every HTTP error status (errors.ts), bounded reply buffers, and `{ signal, timeoutMs }` on every
 * call. It talks through a {@link Transport}: pinned, pooled HTTPS by default, or an in-process handler.
 *
 * @module
 */

import type { AbortOptions } from '../../util/abort.js';
import type {
  AllocateRequest,
  AllocateResult,
  ReadTestWriteRequest,
  ReadTestWriteResult,
  StorageVersion,
  WriteResult,
} from '../backend/backend.js';
import { formatStorageIndex } from '../backend/storage-index.js';
import { CBOR_MIME_TYPE, decodeCbor, encodeCbor } from './cbor.js';
import { errorForStatus, GbsHttpError, SchemaError } from './errors.js';
import {
  authorizationHeader,
  formatContentRange,
  formatRange,
  parseContentRange,
  type SecretName,
  secretHeader,
} from './headers.js';
import { type Connector, createHttpsTransport } from './https-transport.js';
import type { GbsResponse, HeaderMap, Transport } from './message.js';
import { parseNurl } from './nurl.js';
import { buildPath, type Operation } from './paths.js';
import {
  encodeAllocateRequest,
  encodeReadTestWriteRequest,
  parseAllocateResult,
  parseReadTestWriteResult,
  parseRequired,
  parseShareSet,
  parseVersion,
} from './schemas.js';

/** Options of {@link GbsClient}. */
export interface GbsClientOptions {
  nurl: string;
  /** How to open a stream to the server (default: direct TCP). Ignored when `transport` is given. */
  connect?: Connector;
  /** Send requests through this instead of HTTPS (in-process tests). */
  transport?: Transport;
  /** Largest CBOR reply accepted (default 64 MiB). */
  maxReplyBytes?: number;
}

async function collect(body: GbsResponse['body'], cap: number, what: string): Promise<Uint8Array> {
  if (body instanceof Uint8Array) {
    if (body.length > cap) throw new SchemaError(what, `reply larger than ${cap} bytes`);
    return body;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > cap) throw new SchemaError(what, `reply larger than ${cap} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Like {@link collect}, but for a body whose length the server declared: the chunks are copied into one buffer
 * of that size as they arrive (`into` when it is large enough), so a large reply is never held twice (as
 * chunks and concatenated).
 */
async function collectDeclared(
  body: GbsResponse['body'],
  declared: number,
  cap: number,
  what: string,
  into?: Uint8Array,
): Promise<Uint8Array> {
  if (body instanceof Uint8Array || !(Number.isSafeInteger(declared) && declared >= 0 && declared <= cap)) {
    return collect(body, cap, what);
  }
  const out = into && into.length >= declared ? into.subarray(0, declared) : Buffer.allocUnsafe(declared);
  let filled = 0;
  for await (const chunk of body) {
    if (filled + chunk.length > declared) {
      throw new SchemaError(what, `reply longer than its Content-Length of ${declared} bytes`);
    }
    out.set(chunk, filled);
    filled += chunk.length;
  }
  return filled === declared ? out : out.subarray(0, filled);
}

/** Options of a share read. */
export interface ReadOptions extends AbortOptions {
  /**
   * Where to put the bytes when the reply fits: the result is then a view of `into` (the caller's buffer, to
   * reuse), else a new buffer.
   */
  into?: Uint8Array | undefined;
}

/** The lease secrets every request that adds or renews a lease carries (`X-Tahoe-Authorization`). */
function leaseSecrets(renewSecret: Uint8Array, cancelSecret: Uint8Array): [SecretName, Uint8Array][] {
  return [
    ['lease-renew-secret', renewSecret],
    ['lease-cancel-secret', cancelSecret],
  ];
}

/** A client of one storage server. */
export class GbsClient {
  private readonly send: Transport;
  private readonly closeTransport: () => void;
  private readonly auth: string;
  private readonly maxReply: number;

  constructor(options: GbsClientOptions) {
    const nurl = parseNurl(options.nurl);
    this.auth = authorizationHeader(nurl.swissnum);
    this.maxReply = options.maxReplyBytes ?? 64 * 1024 * 1024;
    if (options.transport) {
      this.send = options.transport;
      this.closeTransport = () => undefined;
    } else {
      const https = createHttpsTransport({ nurl, connect: options.connect });
      this.send = https.send;
      this.closeTransport = https.close;
    }
  }

  /** Sends a request with the swissnum and the given secrets; throws the typed error for error statuses. */
  private async call(
    operation: Operation,
    method: string,
    target: { si?: Uint8Array; shnum?: number },
    init: { secrets?: [SecretName, Uint8Array][]; body?: Uint8Array; cbor?: unknown; headers?: HeaderMap },
    options: AbortOptions,
  ): Promise<GbsResponse> {
    const headers: HeaderMap = { authorization: this.auth, ...init.headers };
    if (init.secrets) headers['x-tahoe-authorization'] = init.secrets.map(([n, s]) => secretHeader(n, s));
    let body = init.body;
    if (init.cbor !== undefined) {
      body = encodeCbor(init.cbor);
      headers['content-type'] = CBOR_MIME_TYPE;
    }
    if (body) headers['content-length'] = String(body.length);
    headers.accept ??= CBOR_MIME_TYPE;
    const path = buildPath(operation, target.si && formatStorageIndex(target.si), target.shnum);
    const response = await this.send({ method, path, headers, body: body ? [body] : [] }, options);
    if (response.status >= 400) {
      const text = new TextDecoder().decode(
        await collect(response.body, 64 * 1024, operation).catch(() => new Uint8Array(0)),
      );
      throw errorForStatus(response.status, operation, text);
    }
    return response;
  }

  private async cbor(response: GbsResponse, what: string): Promise<unknown> {
    return decodeCbor(await collect(response.body, this.maxReply, what), what);
  }

  /** `GET /storage/v1/version`. */
  async getVersion(options: AbortOptions = {}): Promise<StorageVersion> {
    return parseVersion(await this.cbor(await this.call('version', 'GET', {}, {}, options), 'version'));
  }

  /** `PUT /storage/v1/lease/:si`: renew the lease with this renew secret on every share, or add one. */
  async addOrRenewLease(
    si: Uint8Array,
    renewSecret: Uint8Array,
    cancelSecret: Uint8Array,
    options: AbortOptions = {},
  ): Promise<void> {
    await this.drain(
      await this.call('lease', 'PUT', { si }, { secrets: leaseSecrets(renewSecret, cancelSecret) }, options),
    );
  }

  /** `POST /storage/v1/immutable/:si`. */
  async allocateBuckets(
    si: Uint8Array,
    request: AllocateRequest,
    options: AbortOptions = {},
  ): Promise<AllocateResult> {
    const response = await this.call(
      'allocate',
      'POST',
      { si },
      {
        secrets: [
          ...leaseSecrets(request.renewSecret, request.cancelSecret),
          ['upload-secret', request.uploadSecret],
        ],
        cbor: encodeAllocateRequest(request),
      },
      options,
    );
    return parseAllocateResult(await this.cbor(response, 'allocate reply'));
  }

  /** `PATCH /storage/v1/immutable/:si/:shnum`: 200 → more is required, 201 → the share is complete. */
  async writeShareChunk(
    si: Uint8Array,
    shnum: number,
    uploadSecret: Uint8Array,
    offset: number,
    data: Uint8Array,
    options: AbortOptions = {},
  ): Promise<WriteResult> {
    if (data.length === 0)
      throw new RangeError('writeShareChunk: data must not be empty (Content-Range cannot express it)');
    const response = await this.call(
      'write',
      'PATCH',
      { si, shnum },
      {
        secrets: [['upload-secret', uploadSecret]],
        body: data,
        headers: {
          'content-range': formatContentRange({ begin: offset, end: offset + data.length }),
          'content-type': 'application/octet-stream',
        },
      },
      options,
    );
    const required = parseRequired(await this.cbor(response, 'upload reply'));
    return { complete: response.status === 201, required };
  }

  /** `PUT /storage/v1/immutable/:si/:shnum/abort`. */
  async abortUpload(
    si: Uint8Array,
    shnum: number,
    uploadSecret: Uint8Array,
    options: AbortOptions = {},
  ): Promise<void> {
    await this.drain(
      await this.call('abort', 'PUT', { si, shnum }, { secrets: [['upload-secret', uploadSecret]] }, options),
    );
  }

  /** `GET /storage/v1/immutable/:si/shares`. */
  async listImmutableShares(si: Uint8Array, options: AbortOptions = {}): Promise<number[]> {
    return parseShareSet(
      await this.cbor(await this.call('list-immutable', 'GET', { si }, {}, options), 'share list'),
      'share list',
    );
  }

  /** `GET /storage/v1/immutable/:si/:shnum` with a Range: at most `length` bytes from `offset` (fewer at the end). */
  readImmutableShare(
    si: Uint8Array,
    shnum: number,
    offset: number,
    length: number,
    options: ReadOptions = {},
  ): Promise<Uint8Array> {
    return this.readRange('read-immutable', si, shnum, offset, length, options);
  }

  /** `GET /storage/v1/mutable/:si/:shnum` with a Range. */
  readMutableShare(
    si: Uint8Array,
    shnum: number,
    offset: number,
    length: number,
    options: AbortOptions = {},
  ): Promise<Uint8Array> {
    return this.readRange('read-mutable', si, shnum, offset, length, options);
  }

  private async readRange(
    operation: 'read-immutable' | 'read-mutable',
    si: Uint8Array,
    shnum: number,
    offset: number,
    length: number,
    options: ReadOptions,
  ): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0);
    const range = { begin: offset, end: offset + length };
    const response = await this.call(
      operation,
      'GET',
      { si, shnum },
      { headers: { range: formatRange(range), accept: '*/*' } },
      options,
    );
    if (response.status === 204) return new Uint8Array(0);
    if (response.status !== 206)
      throw new GbsHttpError(response.status, operation, 'expected 206 Partial Content');
    const content = parseContentRange(response.headers['content-range'] ?? '');
    const declared = Number(response.headers['content-length'] ?? Number.NaN);
    const data = await collectDeclared(response.body, declared, length, operation, options.into);
    if (
      !content ||
      content.begin !== offset ||
      content.end > range.end ||
      content.end - content.begin !== data.length
    ) {
      throw new SchemaError(
        operation,
        'Content-Range does not match the requested range and the data returned',
      );
    }
    return data;
  }

  /** `POST .../immutable/:si/:shnum/corrupt` or the mutable one. */
  async adviseCorruptShare(
    kind: 'immutable' | 'mutable',
    si: Uint8Array,
    shnum: number,
    reason: string,
    options: AbortOptions = {},
  ): Promise<void> {
    const operation = kind === 'immutable' ? 'corrupt-immutable' : 'corrupt-mutable';
    await this.drain(
      await this.call(operation, 'POST', { si, shnum }, { cbor: new Map([['reason', reason]]) }, options),
    );
  }

  /** `POST /storage/v1/mutable/:si/read-test-write`. */
  async readTestWrite(
    si: Uint8Array,
    request: ReadTestWriteRequest,
    options: AbortOptions = {},
  ): Promise<ReadTestWriteResult> {
    const response = await this.call(
      'read-test-write',
      'POST',
      { si },
      {
        secrets: [
          ['write-enabler', request.writeEnabler],
          ...leaseSecrets(request.renewSecret, request.cancelSecret),
        ],
        cbor: encodeReadTestWriteRequest(request),
      },
      options,
    );
    return parseReadTestWriteResult(await this.cbor(response, 'read-test-write reply'));
  }

  /** `GET /storage/v1/mutable/:si/shares`. */
  async listMutableShares(si: Uint8Array, options: AbortOptions = {}): Promise<number[]> {
    return parseShareSet(
      await this.cbor(await this.call('list-mutable', 'GET', { si }, {}, options), 'share list'),
      'share list',
    );
  }

  private async drain(response: GbsResponse): Promise<void> {
    await collect(response.body, 64 * 1024, 'reply');
  }

  /** Closes pooled connections. */
  close(): void {
    this.closeTransport();
  }
}
