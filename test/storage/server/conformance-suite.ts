/**
 * One conformance suite for the GBS storage API (the idea of Tahoe's test_istorageserver.py), run against
 * every "server under test": in-process (client → handler, no sockets) and over real HTTPS on 127.0.0.1.
 *
 * @module
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { DiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { readLeases } from '../../../src/storage/backend/share-file.js';
import { bucketDir, formatStorageIndex } from '../../../src/storage/backend/storage-index.js';
import { CBOR_MIME_TYPE, decodeCbor, encodeCbor } from '../../../src/storage/http/cbor.js';
import type { GbsClient } from '../../../src/storage/http/client.js';
import {
  GbsBadRequestError,
  GbsConflictError,
  GbsNotAllowedError,
  GbsNotFoundError,
  GbsUnauthorizedError,
} from '../../../src/storage/http/errors.js';
import { authorizationHeader, secretHeader } from '../../../src/storage/http/headers.js';
import type { GbsRequest, GbsResponse, HeaderMap } from '../../../src/storage/http/message.js';

/** What a server under test offers the suite. */
export interface ServerUnderTest {
  client: GbsClient;
  /** Sends a raw request (for malformed-request checks). */
  raw: (request: GbsRequest) => Promise<GbsResponse>;
  swissnum: string;
  backend: DiskBackend;
  close(): Promise<void>;
}

let counter = 0;
function freshSi(): Uint8Array {
  counter++;
  const si = new Uint8Array(16);
  si.set(Buffer.from(`conf-${process.pid}-${counter}`).subarray(0, 16));
  return si;
}
const secret = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const bytes = (n: number, seed = 1): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

async function bodyOf(response: GbsResponse): Promise<Uint8Array> {
  if (response.body instanceof Uint8Array) return response.body;
  const chunks: Uint8Array[] = [];
  for await (const c of response.body) chunks.push(c);
  return Buffer.concat(chunks);
}

async function rejects(promise: Promise<unknown>, type: new (...args: never[]) => Error): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    return error as Error;
  }
  throw new Error(`expected a ${type.name}`);
}

/** Registers the suite; `factory` starts a fresh server under test. */
export function storageConformanceSuite(name: string, factory: () => Promise<ServerUnderTest>): void {
  describe(`GBS conformance: ${name}`, function () {
    this.timeout(30_000);
    let s: ServerUnderTest;
    beforeEach(async () => {
      s = await factory();
    });
    afterEach(async () => {
      await s.close();
    });

    const allocate = (si: Uint8Array, shares: number[], size: number, upload = secret(3)) =>
      s.client.allocateBuckets(si, {
        renewSecret: secret(1),
        cancelSecret: secret(2),
        uploadSecret: upload,
        shareNumbers: shares,
        allocatedSize: size,
      });

    function raw(
      method: string,
      path: string,
      headers: HeaderMap = {},
      body?: Uint8Array,
    ): Promise<GbsResponse> {
      return s.raw({
        method,
        path,
        headers: { authorization: authorizationHeader(s.swissnum), ...headers },
        body: body ? [body] : [],
      });
    }

    it('reports its version and available space', async () => {
      const v = await s.client.getVersion();
      expect(v.availableSpace).to.be.greaterThan(0);
      expect(v.maximumImmutableShareSize).to.be.at.most(v.availableSpace);
      expect(v.maximumMutableShareSize).to.be.greaterThan(0);
      expect(v.applicationVersion).to.be.a('string').and.not.equal('');
    });

    it('allocates, uploads in pieces out of order, completes with 201, lists and reads ranges', async () => {
      const si = freshSi();
      const data = bytes(1000);
      expect(await allocate(si, [0, 1], 1000)).to.deep.equal({ alreadyHave: [], allocated: [0, 1] });
      const r1 = await s.client.writeShareChunk(si, 0, secret(3), 600, data.subarray(600));
      expect(r1).to.deep.equal({ complete: false, required: [{ begin: 0, end: 600 }] });
      const r2 = await s.client.writeShareChunk(si, 0, secret(3), 100, data.subarray(100, 300));
      expect(r2.required).to.deep.equal([
        { begin: 0, end: 100 },
        { begin: 300, end: 600 },
      ]);
      expect(await s.client.listImmutableShares(si)).to.deep.equal([]);
      await s.client.writeShareChunk(si, 0, secret(3), 0, data.subarray(0, 100));
      const done = await s.client.writeShareChunk(si, 0, secret(3), 300, data.subarray(300, 600));
      expect(done).to.deep.equal({ complete: true, required: [] });
      expect(await s.client.listImmutableShares(si)).to.deep.equal([0]);
      expect(
        Buffer.from(await s.client.readImmutableShare(si, 0, 10, 20)).equals(data.subarray(10, 30)),
      ).to.equal(true);
      expect(
        Buffer.from(await s.client.readImmutableShare(si, 0, 990, 100)).equals(data.subarray(990)),
      ).to.equal(true);
      expect(await s.client.readImmutableShare(si, 0, 1000, 10)).to.have.length(0);
      // Allocating again reports the complete share.
      expect(await allocate(si, [0, 1], 1000)).to.deep.equal({ alreadyHave: [0], allocated: [1] });
    });

    it('follows the Range rules: 206 + Content-Range, 204 past the end, 200 without Range, 416 for open ranges', async () => {
      const si = freshSi();
      const data = bytes(50, 7);
      await allocate(si, [3], 50);
      await s.client.writeShareChunk(si, 3, secret(3), 0, data);
      const path = `/storage/v1/immutable/${formatStorageIndex(si)}/3`;
      const partial = await raw('GET', path, { range: 'bytes=40-99' });
      expect(partial.status).to.equal(206);
      expect(partial.headers['content-range']).to.equal('bytes 40-49/50');
      expect(Buffer.from(await bodyOf(partial)).equals(data.subarray(40))).to.equal(true);
      const empty = await raw('GET', path, { range: 'bytes=60-70' });
      expect(empty.status).to.equal(204);
      await bodyOf(empty);
      const whole = await raw('GET', path);
      expect(whole.status).to.equal(200);
      expect(Buffer.from(await bodyOf(whole)).equals(data)).to.equal(true);
      const open = await raw('GET', path, { range: 'bytes=10-' });
      expect(open.status).to.equal(416);
      await bodyOf(open);
      const multi = await raw('GET', path, { range: 'bytes=0-1,5-6' });
      expect(multi.status).to.equal(416);
      await bodyOf(multi);
    });

    it('accepts an overlapping write of equal data and refuses a conflicting one with 409', async () => {
      const si = freshSi();
      const data = bytes(100);
      await allocate(si, [0], 100);
      await s.client.writeShareChunk(si, 0, secret(3), 0, data.subarray(0, 60));
      const same = await s.client.writeShareChunk(si, 0, secret(3), 50, data.subarray(50, 80));
      expect(same.required).to.deep.equal([{ begin: 80, end: 100 }]);
      const other = Uint8Array.from(data.subarray(40, 70));
      other[5] = (other[5] ?? 0) ^ 0xff;
      await rejects(s.client.writeShareChunk(si, 0, secret(3), 40, other), GbsConflictError);
    });

    it('refuses PATCH without Content-Range (416) and writes beyond the allocation (416)', async () => {
      const si = freshSi();
      await allocate(si, [0], 10);
      const path = `/storage/v1/immutable/${formatStorageIndex(si)}/0`;
      const noRange = await raw(
        'PATCH',
        path,
        { 'x-tahoe-authorization': [secretHeader('upload-secret', secret(3))] },
        bytes(5),
      );
      expect(noRange.status).to.equal(416);
      await bodyOf(noRange);
      const beyond = await raw(
        'PATCH',
        path,
        {
          'x-tahoe-authorization': [secretHeader('upload-secret', secret(3))],
          'content-range': 'bytes 5-14/*',
        },
        bytes(10),
      );
      expect(beyond.status).to.equal(416);
      await bodyOf(beyond);
    });

    it('answers a repeated allocation with the same secret the same way and keeps others out', async () => {
      const si = freshSi();
      expect(await allocate(si, [0, 1], 10)).to.deep.equal({ alreadyHave: [], allocated: [0, 1] });
      expect(await allocate(si, [0, 1], 10)).to.deep.equal({ alreadyHave: [], allocated: [0, 1] });
      expect(await allocate(si, [0, 1, 2], 10, secret(9))).to.deep.equal({ alreadyHave: [], allocated: [2] });
      await rejects(s.client.writeShareChunk(si, 0, secret(9), 0, bytes(10)), GbsUnauthorizedError);
    });

    it('aborts uploads: 200 in progress, then 404 on write; 405 once complete; 401 with a wrong secret', async () => {
      const si = freshSi();
      await allocate(si, [0, 1], 10);
      await s.client.writeShareChunk(si, 0, secret(3), 0, bytes(5));
      await rejects(s.client.abortUpload(si, 0, secret(8)), GbsUnauthorizedError);
      await s.client.abortUpload(si, 0, secret(3));
      await rejects(s.client.writeShareChunk(si, 0, secret(3), 5, bytes(5)), GbsNotFoundError);
      expect(await s.client.listImmutableShares(si)).to.deep.equal([]);
      await s.client.writeShareChunk(si, 1, secret(3), 0, bytes(10));
      await rejects(s.client.abortUpload(si, 1, secret(3)), GbsNotAllowedError);
      // After an abort the share can be allocated afresh.
      expect((await allocate(si, [0], 10)).allocated).to.deep.equal([0]);
    });

    it('adds and renews leases (204), and answers 404 for an unknown storage index', async () => {
      const si = freshSi();
      await allocate(si, [0], 4);
      await s.client.writeShareChunk(si, 0, secret(3), 0, bytes(4));
      const path = join(bucketDir(s.backend.storageDir, formatStorageIndex(si)), '0');
      expect((await readLeases(path)).leases).to.have.length(1);
      await s.client.addOrRenewLease(si, secret(1), secret(2));
      expect((await readLeases(path)).leases).to.have.length(1);
      await s.client.addOrRenewLease(si, secret(11), secret(12));
      expect((await readLeases(path)).leases).to.have.length(2);
      await rejects(s.client.addOrRenewLease(freshSi(), secret(1), secret(2)), GbsNotFoundError);
    });

    it('runs mutable read-test-write: create, test pass and fail, read vectors, wrong write enabler, delete', async () => {
      const si = freshSi();
      const we = secret(5);
      const rtw = (
        vectors: Map<
          number,
          {
            test: { offset: number; size: number; specimen: Uint8Array }[];
            write: { offset: number; data: Uint8Array }[];
            newLength: number | null;
          }
        >,
        readVector: { offset: number; size: number }[] = [],
        writeEnabler = we,
      ) =>
        s.client.readTestWrite(si, {
          writeEnabler,
          renewSecret: secret(1),
          cancelSecret: secret(2),
          testWriteVectors: vectors,
          readVector,
        });
      const created = await rtw(
        new Map([
          [
            3,
            {
              test: [{ offset: 0, size: 1, specimen: new Uint8Array(0) }],
              write: [{ offset: 0, data: bytes(10) }],
              newLength: null,
            },
          ],
          [4, { test: [], write: [{ offset: 5, data: bytes(5, 9) }], newLength: null }],
        ]),
      );
      expect(created.success).to.equal(true);
      expect(await s.client.listMutableShares(si)).to.deep.equal([3, 4]);
      // Holes are zero-filled.
      expect([...(await s.client.readMutableShare(si, 4, 0, 5))]).to.deep.equal([0, 0, 0, 0, 0]);
      const failed = await rtw(
        new Map([
          [
            3,
            {
              test: [{ offset: 0, size: 3, specimen: Uint8Array.of(9, 9, 9) }],
              write: [{ offset: 0, data: bytes(10, 2) }],
              newLength: null,
            },
          ],
        ]),
        [{ offset: 8, size: 10 }],
      );
      expect(failed.success).to.equal(false);
      expect(Buffer.from(failed.data.get(3)![0]!).equals(bytes(10).subarray(8))).to.equal(true);
      expect(Buffer.from(await s.client.readMutableShare(si, 3, 0, 10)).equals(bytes(10))).to.equal(true);
      const passed = await rtw(
        new Map([
          [
            3,
            {
              test: [{ offset: 0, size: 3, specimen: bytes(10).subarray(0, 3) }],
              write: [{ offset: 0, data: bytes(20, 2) }],
              newLength: null,
            },
          ],
        ]),
        [{ offset: 0, size: 2 }],
      );
      expect(passed.success).to.equal(true);
      expect(Buffer.from(passed.data.get(3)![0]!).equals(bytes(2))).to.equal(true);
      expect(Buffer.from(await s.client.readMutableShare(si, 3, 0, 100)).equals(bytes(20, 2))).to.equal(true);
      await rejects(rtw(new Map(), [], secret(6)), GbsUnauthorizedError);
      const deleted = await rtw(new Map([[4, { test: [], write: [], newLength: 0 }]]));
      expect(deleted.success).to.equal(true);
      expect(await s.client.listMutableShares(si)).to.deep.equal([3]);
      await rejects(s.client.readMutableShare(si, 4, 0, 1), GbsNotFoundError);
    });

    it('keeps immutable and mutable shares of one storage index apart (409, nothing overwritten)', async () => {
      const si = freshSi();
      await allocate(si, [1], 4);
      await s.client.writeShareChunk(si, 1, secret(3), 0, bytes(4));
      const vectors = (shnum: number) =>
        new Map([[shnum, { test: [], write: [{ offset: 0, data: bytes(3) }], newLength: null }]]);
      const request = {
        writeEnabler: secret(5),
        renewSecret: secret(1),
        cancelSecret: secret(2),
        readVector: [],
      };
      await rejects(
        s.client.readTestWrite(si, { ...request, testWriteVectors: vectors(1) }),
        GbsConflictError,
      );
      expect(
        (await s.client.readTestWrite(si, { ...request, testWriteVectors: vectors(0) })).success,
      ).to.equal(true);
      expect((await allocate(si, [0, 2], 4)).allocated).to.deep.equal([2]);
      expect(await s.client.listImmutableShares(si)).to.deep.equal([1]);
      expect(await s.client.listMutableShares(si)).to.deep.equal([0]);
      expect(Buffer.from(await s.client.readImmutableShare(si, 1, 0, 4)).equals(bytes(4))).to.equal(true);
    });

    it('records corruption advisories for known shares and answers 404 otherwise', async () => {
      const si = freshSi();
      await allocate(si, [2], 4);
      await s.client.writeShareChunk(si, 2, secret(3), 0, bytes(4));
      await s.client.adviseCorruptShare('immutable', si, 2, 'block hash mismatch');
      const reports = await readdir(join(s.backend.storageDir, 'corruption-advisories'));
      expect(reports.some((r) => r.endsWith(`--${formatStorageIndex(si)}-2`))).to.equal(true);
      await rejects(s.client.adviseCorruptShare('immutable', si, 3, 'x'), GbsNotFoundError);
      await rejects(s.client.adviseCorruptShare('mutable', si, 2, 'x'), GbsNotFoundError);
    });

    it('answers 404 for unknown shares and an empty list for unknown storage indexes', async () => {
      const si = freshSi();
      expect(await s.client.listImmutableShares(si)).to.deep.equal([]);
      expect(await s.client.listMutableShares(si)).to.deep.equal([]);
      await rejects(s.client.readImmutableShare(si, 0, 0, 10), GbsNotFoundError);
      const nowhere = await raw('GET', '/storage/v1/nothing');
      expect(nowhere.status).to.equal(404);
      await bodyOf(nowhere);
      const method = await raw('DELETE', '/storage/v1/version');
      expect(method.status).to.equal(405);
      await bodyOf(method);
    });

    it('refuses a wrong or missing swissnum with 401', async () => {
      for (const headers of [
        {},
        { authorization: authorizationHeader('not-the-swissnum') },
        { authorization: 'Basic abc' },
      ]) {
        const response = await s.raw({ method: 'GET', path: '/storage/v1/version', headers, body: [] });
        expect(response.status).to.equal(401);
        await bodyOf(response);
      }
    });

    it('refuses malformed CBOR, schema violations and bad secrets with 400', async () => {
      const si = formatStorageIndex(freshSi());
      const secrets = [
        secretHeader('lease-renew-secret', secret(1)),
        secretHeader('lease-cancel-secret', secret(2)),
        secretHeader('upload-secret', secret(3)),
      ];
      const cases: [HeaderMap, Uint8Array][] = [
        [{ 'x-tahoe-authorization': secrets, 'content-type': CBOR_MIME_TYPE }, Uint8Array.of(0xa1, 0x01)],
        [
          { 'x-tahoe-authorization': secrets },
          encodeCbor(
            new Map<string, unknown>([
              ['share-numbers', [1, 2]],
              ['allocated-size', 5],
            ]),
          ),
        ],
        [{ 'x-tahoe-authorization': secrets }, encodeCbor(new Map([['share-numbers', new Set([1])]]))],
        [
          { 'x-tahoe-authorization': secrets },
          encodeCbor(
            new Map<string, unknown>([
              ['share-numbers', new Set([300])],
              ['allocated-size', 5],
            ]),
          ),
        ],
        [
          { 'x-tahoe-authorization': secrets.slice(0, 2) },
          encodeCbor(
            new Map<string, unknown>([
              ['share-numbers', new Set([1])],
              ['allocated-size', 5],
            ]),
          ),
        ],
        [
          {
            'x-tahoe-authorization': [
              secretHeader('lease-renew-secret', new Uint8Array(5)),
              ...secrets.slice(1),
            ],
          },
          encodeCbor(
            new Map<string, unknown>([
              ['share-numbers', new Set([1])],
              ['allocated-size', 5],
            ]),
          ),
        ],
      ];
      for (const [headers, body] of cases) {
        const response = await raw('POST', `/storage/v1/immutable/${si}`, headers, body);
        expect(response.status, JSON.stringify(headers)).to.equal(400);
        expect(new TextDecoder().decode(await bodyOf(response))).to.not.equal('');
      }
      await rejects(
        s.client.allocateBuckets(freshSi(), {
          renewSecret: secret(1),
          cancelSecret: secret(2),
          uploadSecret: secret(3),
          shareNumbers: [300],
          allocatedSize: 5,
        }),
        GbsBadRequestError,
      );
      const wrongType = await raw(
        'POST',
        `/storage/v1/immutable/${si}`,
        { 'x-tahoe-authorization': secrets, 'content-type': 'text/plain' },
        Uint8Array.of(1),
      );
      expect(wrongType.status).to.equal(415);
      await bodyOf(wrongType);
      const json = await raw('GET', '/storage/v1/version', { accept: 'application/json' });
      expect(json.status).to.equal(406);
      await bodyOf(json);
    });

    it('refuses oversized request bodies with 413', async () => {
      const si = formatStorageIndex(freshSi());
      const secrets = [
        secretHeader('lease-renew-secret', secret(1)),
        secretHeader('lease-cancel-secret', secret(2)),
        secretHeader('upload-secret', secret(3)),
      ];
      const huge = encodeCbor(
        new Map<string, unknown>([
          ['share-numbers', new Set([1])],
          ['allocated-size', 5],
          ['padding', new Uint8Array(10_000)],
        ]),
      );
      const response = await raw(
        'POST',
        `/storage/v1/immutable/${si}`,
        { 'x-tahoe-authorization': secrets, 'content-length': String(huge.length) },
        huge,
      );
      expect(response.status).to.equal(413);
      await bodyOf(response);
      const reason = 'x'.repeat(40_000);
      const advisory = await raw(
        'POST',
        `/storage/v1/immutable/${si}/0/corrupt`,
        {},
        encodeCbor(new Map([['reason', reason]])),
      );
      expect([404, 413]).to.include(advisory.status);
      await bodyOf(advisory);
      // The server still works afterwards.
      expect((await s.client.getVersion()).availableSpace).to.be.greaterThan(0);
    });

    it('returns tagged sets in CBOR replies', async () => {
      const si = freshSi();
      const response = await raw('GET', `/storage/v1/immutable/${formatStorageIndex(si)}/shares`);
      expect(response.status).to.equal(200);
      expect(response.headers['content-type']).to.equal(CBOR_MIME_TYPE);
      const raw258 = await bodyOf(response);
      expect([...raw258.subarray(0, 3)]).to.deep.equal([0xd9, 0x01, 0x02]);
      expect(decodeCbor(raw258, 'list')).to.be.instanceOf(Set);
    });
  });
}
