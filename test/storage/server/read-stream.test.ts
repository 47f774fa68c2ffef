import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readlink, realpath, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type DiskBackend, openDiskBackend } from '../../../src/storage/backend/disk-backend.js';
import { CorruptContainerError } from '../../../src/storage/backend/errors.js';
import { bucketDir, formatStorageIndex } from '../../../src/storage/backend/storage-index.js';
import { authorizationHeader } from '../../../src/storage/http/headers.js';
import { createHttpsTransport } from '../../../src/storage/http/https-transport.js';
import type { GbsResponse } from '../../../src/storage/http/message.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import { createGbsHandler, type HandlerLimits } from '../../../src/storage/server/handler.js';
import { startStorageServer } from '../../../src/storage/server/start.js';

const secret = (b: number): Uint8Array => new Uint8Array(32).fill(b);
const siBytes = new Uint8Array(16).fill(21);
const si = formatStorageIndex(siBytes);
const MiB = 1024 * 1024;

/** How many of this process's file descriptors point into `dir` (Linux /proc). */
async function openFilesUnder(dir: string): Promise<number> {
  let count = 0;
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.startsWith(`${dir}/`)) count++;
  }
  return count;
}

/** Resolves once no descriptor points into `dir` (the server closes it asynchronously); rejects after 10 s. */
async function allClosed(dir: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const open = await openFilesUnder(dir);
    if (open === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`share files under ${dir} are still open`);
}

async function storeShare(backend: DiskBackend, share: Uint8Array): Promise<void> {
  await backend.allocateBuckets(siBytes, {
    renewSecret: secret(1),
    cancelSecret: secret(2),
    uploadSecret: secret(3),
    shareNumbers: [0],
    allocatedSize: share.length,
  });
  const done = await backend.writeImmutable(siBytes, 0, secret(3), 0, share.length, [share]);
  expect(done.complete).to.equal(true);
}

function streamOf(response: GbsResponse): AsyncIterable<Uint8Array> {
  expect(response.body).not.to.be.instanceOf(Uint8Array);
  return response.body as AsyncIterable<Uint8Array>;
}

describe('GBS handler: streamed share reads', function () {
  this.timeout(20_000);
  let dir: string;
  let backend: DiskBackend;
  let share: Uint8Array;
  const get = async (limits: HandlerLimits = {}, range?: string): Promise<GbsResponse> => {
    const handler = createGbsHandler({ backend, swissnum: 'sw', limits });
    const headers: Record<string, string> = { authorization: authorizationHeader('sw') };
    if (range !== undefined) headers.range = range;
    return handler({ method: 'GET', path: `/storage/v1/immutable/${si}/0`, headers, body: [] });
  };

  before(function () {
    if (!existsSync('/proc/self/fd')) {
      console.log('    skipped: no /proc/self/fd to count open files on this system');
      this.skip();
    }
  });
  beforeEach(async () => {
    dir = await realpath(await mkdtemp(join(tmpdir(), 'lafs-read-stream-')));
    backend = await openDiskBackend({ storageDir: dir, nodeId: new Uint8Array(20) });
    share = randomBytes(3 * MiB + 5);
    await storeShare(backend, share);
    expect(await openFilesUnder(dir)).to.equal(0);
  });
  afterEach(async () => {
    await backend.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads 1 MiB chunks through one open file, byte-exact, and closes it at the end', async () => {
    const response = await get();
    expect(response.status).to.equal(200);
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamOf(response)) {
      chunks.push(chunk);
      expect(await openFilesUnder(dir)).to.equal(1);
    }
    expect(chunks.map((c) => c.length)).to.deep.equal([MiB, MiB, MiB, 5]);
    expect(Buffer.concat(chunks).equals(share)).to.equal(true);
    expect(await openFilesUnder(dir)).to.equal(0);
  });

  it('serves a range through the same path', async () => {
    const response = await get({}, `bytes=${MiB - 3}-${2 * MiB + 2}`);
    expect(response.status).to.equal(206);
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamOf(response)) chunks.push(chunk);
    expect(Buffer.concat(chunks).equals(share.subarray(MiB - 3, 2 * MiB + 3))).to.equal(true);
    expect(await openFilesUnder(dir)).to.equal(0);
  });

  it('opens nothing for a reply body that is never read', async () => {
    const response = await get();
    expect(response.status).to.equal(200);
    expect(await openFilesUnder(dir)).to.equal(0);
  });

  it('closes the file when the consumer abandons the body part way', async () => {
    const response = await get();
    for await (const chunk of streamOf(response)) {
      expect(chunk.length).to.equal(MiB);
      expect(await openFilesUnder(dir)).to.equal(1);
      break;
    }
    expect(await openFilesUnder(dir)).to.equal(0);
  });

  it('closes the file when a read fails mid-stream (share truncated under it)', async () => {
    const response = await get();
    let error: unknown;
    try {
      for await (const _ of streamOf(response)) {
        await truncate(join(bucketDir(dir, si), '0'), MiB + 100);
      }
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CorruptContainerError);
    expect(await openFilesUnder(dir)).to.equal(0);
  });

  it('reads 64 KiB at a time once the read buffer budget is used up', async () => {
    const response = await get({ maxReadBufferBytes: 0 });
    const sizes: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of streamOf(response)) {
      sizes.push(chunk.length);
      chunks.push(chunk);
    }
    expect(Math.max(...sizes)).to.equal(64 * 1024);
    expect(Buffer.concat(chunks).equals(share)).to.equal(true);
  });

  it('refuses a read chunk size outside 1..16 MiB', () => {
    expect(() => createGbsHandler({ backend, swissnum: 'sw', limits: { readChunkSize: 0 } })).to.throw(
      RangeError,
    );
    expect(() => createGbsHandler({ backend, swissnum: 'sw', limits: { readChunkSize: 17 * MiB } })).to.throw(
      RangeError,
    );
  });
});

describe('storage server over HTTPS: a client that aborts a download', function () {
  this.timeout(20_000);

  it('leaves no share file open', async function () {
    if (!existsSync('/proc/self/fd')) {
      console.log('    skipped: no /proc/self/fd to count open files on this system');
      this.skip();
    }
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'lafs-read-abort-')));
    const storageDir = join(dir, 's');
    const server = await startStorageServer({
      storageDir,
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
      crawler: false,
    });
    const nurl = parseNurl(server.nurl);
    try {
      await storeShare(server.backend, randomBytes(24 * MiB));
      for (let round = 0; round < 3; round++) {
        const transport = createHttpsTransport({ nurl });
        const response = await transport.send({
          method: 'GET',
          path: `/storage/v1/immutable/${si}/0`,
          headers: { authorization: authorizationHeader(nurl.swissnum) },
          body: [],
        });
        expect(response.status).to.equal(200);
        const stream = response.body as AsyncIterable<Uint8Array> & { destroy(): void };
        for await (const _ of stream) break;
        stream.destroy();
        transport.close();
        await allClosed(storageDir);
      }
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
