import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { formatStorageIndex } from '../../../src/storage/backend/storage-index.js';
import { encodeCbor } from '../../../src/storage/http/cbor.js';
import { GbsClient } from '../../../src/storage/http/client.js';
import { authorizationHeader, secretHeader } from '../../../src/storage/http/headers.js';
import { createHttpsTransport } from '../../../src/storage/http/https-transport.js';
import type { GbsResponse } from '../../../src/storage/http/message.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import { createGbsHandler } from '../../../src/storage/server/handler.js';
import { startStorageServer } from '../../../src/storage/server/start.js';

const secret = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const si = 'aaaaaaaaaaaaaaaaaaaaaaaaaa';

async function drain(response: GbsResponse): Promise<string> {
  if (response.body instanceof Uint8Array) return new TextDecoder().decode(response.body);
  const chunks: Uint8Array[] = [];
  for await (const c of response.body) chunks.push(c);
  return new TextDecoder().decode(Buffer.concat(chunks));
}

describe('storage server limits', function () {
  this.timeout(20_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-limits-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a streamed body once it grows past the cap (413) and keeps serving', async () => {
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
      limits: { maxReadTestWriteBody: 1024 },
      crawler: false,
    });
    const nurl = parseNurl(server.nurl);
    const transport = createHttpsTransport({ nurl });
    try {
      const headers = {
        authorization: authorizationHeader(nurl.swissnum),
        'x-tahoe-authorization': [
          secretHeader('write-enabler', secret(1)),
          secretHeader('lease-renew-secret', secret(2)),
          secretHeader('lease-cancel-secret', secret(3)),
        ],
      };
      // A body larger than the cap is refused with 413 even though it is streamed in full.
      async function* big() {
        for (let i = 0; i < 64; i++) yield new Uint8Array(1024);
      }
      const refused = await transport.send({
        method: 'POST',
        path: `/storage/v1/mutable/${si}/read-test-write`,
        headers,
        body: big(),
      });
      expect(refused.status).to.equal(413);
      expect(await drain(refused)).to.contain('1024');
      const version = await transport.send({
        method: 'GET',
        path: '/storage/v1/version',
        headers: { authorization: headers.authorization },
        body: [],
      });
      expect(version.status).to.equal(200);
      await drain(version);
    } finally {
      transport.close();
      await server.close();
    }
  });

  it('survives a client that disconnects in the middle of a large download', async () => {
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
      crawler: false,
    });
    const nurl = parseNurl(server.nurl);
    const transport = createHttpsTransport({ nurl });
    const client = new GbsClient({ nurl: server.nurl });
    try {
      const share = new Uint8Array(16 * 1024 * 1024).fill(5);
      const siBytes = new Uint8Array(16).fill(8);
      await client.allocateBuckets(siBytes, {
        renewSecret: secret(1),
        cancelSecret: secret(2),
        uploadSecret: secret(3),
        shareNumbers: [0],
        allocatedSize: share.length,
      });
      for (let o = 0; o < share.length; o += 4 * 1024 * 1024)
        await client.writeShareChunk(siBytes, 0, secret(3), o, share.subarray(o, o + 4 * 1024 * 1024));
      const response = await transport.send({
        method: 'GET',
        path: `/storage/v1/immutable/${formatStorageIndex(siBytes)}/0`,
        headers: { authorization: authorizationHeader(nurl.swissnum) },
        body: [],
      });
      expect(response.status).to.equal(200);
      const stream = response.body as AsyncIterable<Uint8Array> & { destroy(): void };
      for await (const chunk of stream) {
        expect(chunk.length).to.be.greaterThan(0);
        break;
      }
      stream.destroy();
      transport.close();
      expect((await client.getVersion()).availableSpace).to.be.greaterThan(0);
      const tail = await client.readImmutableShare(siBytes, 0, share.length - 10, 10);
      expect([...tail]).to.deep.equal(new Array(10).fill(5));
    } finally {
      client.close();
      transport.close();
      await server.close();
    }
  });

  it('refuses upload chunks above the per-request cap (413) and answers 503 when the in-flight budget is spent', async () => {
    const backend = await openDiskBackend({ storageDir: dir, nodeId: new Uint8Array(20) });
    const swissnum = 'limitsswissnum';
    const auth = authorizationHeader(swissnum);
    const small = createGbsHandler({
      backend,
      swissnum,
      limits: { maxWriteBody: 100, maxBufferedBytes: 16 },
    });
    const patch = await small({
      method: 'PATCH',
      path: `/storage/v1/immutable/${si}/0`,
      headers: {
        authorization: auth,
        'x-tahoe-authorization': [secretHeader('upload-secret', secret(1))],
        'content-range': 'bytes 0-199/200',
      },
      body: [new Uint8Array(200)],
    });
    expect(patch.status).to.equal(413);
    const body = encodeCbor(
      new Map<string, unknown>([
        ['share-numbers', new Set([0])],
        ['allocated-size', 10],
      ]),
    );
    expect(body.length).to.be.greaterThan(16);
    const busy = await small({
      method: 'POST',
      path: `/storage/v1/immutable/${si}`,
      headers: {
        authorization: auth,
        'x-tahoe-authorization': [
          secretHeader('lease-renew-secret', secret(1)),
          secretHeader('lease-cancel-secret', secret(2)),
          secretHeader('upload-secret', secret(3)),
        ],
      },
      body: [body],
    });
    expect(busy.status).to.equal(503);
    await backend.close();
  });
});
