import { join } from 'node:path';
import { expect } from 'chai';
import { createHttpsTransport } from '../../../src/storage/http/https-transport.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import { startStorageServer } from '../../../src/storage/server/start.js';
import { makeTempDir } from '../../support/temp-dirs.js';

describe('GBS HTTPS transport: request bodies', function () {
  this.timeout(20_000);

  it('stops sending a body (and closes its iterator) when the request is aborted while waiting for drain', async () => {
    const dir = makeTempDir('lafs-transport-');
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    const transport = createHttpsTransport({ nurl: parseNurl(server.nurl) });
    const abort = new AbortController();
    let yielded = 0;
    let closed!: () => void;
    const bodyClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    // Far more than the socket buffers hold, so the sender waits for 'drain' when the request dies.
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          yielded++;
          if (yielded === 200) setTimeout(() => abort.abort(new Error('test abort')), 50);
          yield new Uint8Array(64 * 1024);
        }
      } finally {
        closed();
      }
    }
    try {
      const sent = transport.send(
        {
          method: 'PUT',
          path: '/storage/v1/immutable/aaaaaaaaaaaaaaaaaaaaaaaaaa/0',
          headers: { 'content-type': 'application/octet-stream' },
          body: body(),
        },
        { signal: abort.signal },
      );
      // The server may answer before the abort (and then close the connection), or the abort comes first.
      await sent.then(
        (response) => (response.body as AsyncIterable<Uint8Array> & { destroy(): void }).destroy(),
        () => undefined,
      );
      const timedOut = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 3_000).unref());
      expect(await Promise.race([bodyClosed.then(() => 'closed'), timedOut])).to.equal('closed');
    } finally {
      abort.abort();
      transport.close();
      await server.close();
    }
  });
});
