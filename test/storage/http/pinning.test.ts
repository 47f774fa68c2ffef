import { createHook } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { GbsClient } from '../../../src/storage/http/client.js';
import { SpkiMismatchError } from '../../../src/storage/http/errors.js';
import { formatNurl, parseNurl } from '../../../src/storage/http/nurl.js';
import { startStorageServer } from '../../../src/storage/server/start.js';

describe('GBS client certificate pinning (HTTPS on 127.0.0.1)', function () {
  this.timeout(20_000);

  it('refuses a server whose certificate does not carry the pinned key, before sending the request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-pin-'));
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    try {
      const nurl = parseNurl(server.nurl);
      const wrongHash = `${nurl.spkiHash[0] === 'A' ? 'B' : 'A'}${nurl.spkiHash.slice(1)}`;
      const client = new GbsClient({ nurl: formatNurl({ ...nurl, spkiHash: wrongHash }) });
      let caught: unknown;
      await client.getVersion({ timeoutMs: 10_000 }).catch((e: unknown) => {
        caught = e;
      });
      client.close();
      expect(caught).to.be.instanceOf(SpkiMismatchError);
      const good = new GbsClient({ nurl: server.nurl });
      expect((await good.getVersion()).availableSpace).to.be.greaterThan(0);
      // Keep-alive: a second call reuses the pooled connection and still works.
      expect((await good.getVersion()).availableSpace).to.be.greaterThan(0);
      good.close();
    } finally {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("leaves no timer behind per request: a long transfer does not pile up its requests' timeouts", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-timers-'));
    const server = await startStorageServer({
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
    });
    const client = new GbsClient({ nurl: server.nurl });
    // Timers created and not yet cleared or fired, counted by async_hooks.
    const live = new Set<number>();
    const hook = createHook({
      init: (id, type) => {
        if (type === 'Timeout') live.add(id);
      },
      destroy: (id) => {
        live.delete(id);
      },
    });
    try {
      const transfer = new AbortController();
      await client.getVersion({ signal: transfer.signal, timeoutMs: 60_000 });
      hook.enable();
      for (let i = 0; i < 100; i++) await client.getVersion({ signal: transfer.signal, timeoutMs: 60_000 });
      await new Promise((resolve) => setImmediate(resolve));
      hook.disable();
      expect(live.size).to.be.lessThan(10);
    } finally {
      hook.disable();
      client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps its identity, swissnum and NURL across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-restart-'));
    const options = {
      storageDir: join(dir, 's'),
      privateDir: join(dir, 'p'),
      listen: { host: '127.0.0.1', port: 0 },
    };
    try {
      const a = await startStorageServer(options);
      const first = parseNurl(a.nurl);
      await a.close();
      const b = await startStorageServer(options);
      const second = parseNurl(b.nurl);
      expect(second.spkiHash).to.equal(first.spkiHash);
      expect(second.swissnum).to.equal(first.swissnum);
      expect(b.announcement['anonymous-storage-NURLs']).to.deep.equal([b.nurl]);
      expect(b.announcement['anonymous-storage-FURL']).to.match(
        /^pb:\/\/[a-z2-7]{32}@tcp:127\.0\.0\.1:\d+\/[a-z2-7]{32}$/,
      );
      expect(b.announcement['permutation-seed-base32']).to.match(/^[a-z2-7]{52}$/);
      await b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
