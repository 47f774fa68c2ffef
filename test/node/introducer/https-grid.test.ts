/**
 * A real introducer on 127.0.0.1 over HTTPS, storage servers publishing through introducer clients, and a
 * subscriber following them: updates, an introducer restart, the cache, and refused announcements.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../../src/errors.js';
import {
  type AnnouncementChange,
  createIntroducerService,
  IntroducerApi,
  IntroducerClient,
  type IntroducerClientOptions,
  IntroducerProtocolError,
  loadAnnouncementCache,
  loadOrCreateNodeKey,
  type NodeKey,
  parseIntroducerUrl,
  type RunningIntroducer,
  signAnnouncement,
} from '../../../src/node/introducer/index.js';
import { serverInfoFromAnnouncement } from '../../../src/storage/client/server-info.js';
import { type RunningStorageServer, startStorageServer } from '../../../src/storage/server/start.js';
import { sleep } from '../../../src/util/abort.js';
import { useLeakGuard } from '../../support/leak-guard.js';

async function until(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

const FAST = { backoff: { initialMs: 50, maxMs: 300 }, pollWaitSeconds: 30 };

describe('introducer over HTTPS on 127.0.0.1', function () {
  this.timeout(60_000);
  useLeakGuard();

  let dir: string;
  let introducer: RunningIntroducer;
  let introducerPort: number;
  const servers: RunningStorageServer[] = [];
  const keys: NodeKey[] = [];
  const clients: IntroducerClient[] = [];

  const startIntroducer = async (port = 0): Promise<RunningIntroducer> =>
    createIntroducerService({
      privateDir: join(dir, 'introducer', 'private'),
      listen: { host: '127.0.0.1', port },
    });

  const client = (options: Partial<IntroducerClientOptions> & { nodeKey: NodeKey }): IntroducerClient => {
    const c = new IntroducerClient({ url: introducer.url, ...FAST, ...options });
    clients.push(c);
    return c;
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-introducer-'));
    for (let i = 0; i < 2; i++) {
      const base = join(dir, `storage${i}`);
      await mkdir(join(base, 'private'), { recursive: true, mode: 0o700 });
      servers.push(
        await startStorageServer({
          storageDir: join(base, 'storage'),
          privateDir: join(base, 'private'),
          listen: { host: '127.0.0.1', port: 0 },
          nickname: `storage${i}`,
          crawler: false,
        }),
      );
      keys.push(await loadOrCreateNodeKey(join(base, 'private')));
    }
  });

  beforeEach(async () => {
    introducer = await startIntroducer();
    introducerPort = introducer.port ?? 0;
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await introducer.close();
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const publishers = async (): Promise<IntroducerClient[]> => {
    const out: IntroducerClient[] = [];
    for (const [i, server] of servers.entries()) {
      const key = keys[i];
      if (!key) throw new Error('no key');
      const c = client({
        nodeKey: key,
        services: [],
        nickname: `storage${i}`,
        seqnumFile: join(dir, `storage${i}`, 'announcement-seqnum'),
      });
      await c.start();
      await c.publish('storage', { ...server.announcement });
      out.push(c);
    }
    return out;
  };

  it('writes its URL to private/introducer.furl and keeps it across restarts', async () => {
    const text = await readFile(join(dir, 'introducer', 'private', 'introducer.furl'), 'utf8');
    expect(text.trim()).to.equal(introducer.url);
    expect(parseIntroducerUrl(introducer.url).locations).to.deep.equal([
      { kind: 'tcp', host: '127.0.0.1', port: introducerPort },
    ]);
    await introducer.close();
    introducer = await startIntroducer(introducerPort);
    expect(introducer.url).to.equal(text.trim());
  });

  it('delivers two publishers to a subscriber, then an update with a higher seqnum', async () => {
    const subscriberKey = await loadOrCreateNodeKey(join(dir, 'client', 'private'));
    const subscriber = client({ nodeKey: subscriberKey });
    const changes: AnnouncementChange[] = [];
    subscriber.onChange((c) => changes.push(c));
    await subscriber.start();
    const [first] = await publishers();
    await until(() => subscriber.servers().size === 2, 'both storage announcements');
    const seen = subscriber.servers();
    for (const [i, server] of servers.entries()) {
      const id = keys[i]?.keyString ?? '';
      const entry = seen.get(id);
      expect(entry?.verified, id).to.equal(true);
      const info = serverInfoFromAnnouncement(id, entry?.ann, 'test');
      expect(info.nurls).to.deep.equal(server.nurls);
      expect(info.nickname).to.equal(`storage${i}`);
    }
    expect(changes.map((c) => c.kind)).to.deep.equal(['new', 'new']);
    expect(introducer.table.size).to.equal(2);

    const id0 = keys[0]?.keyString ?? '';
    const before = seen.get(id0)?.seqnum ?? 0;
    await first?.publish('storage', { ...servers[0]?.announcement, nickname: 'renamed' });
    await until(() => subscriber.servers().get(id0)?.ann.nickname === 'renamed', 'the update');
    expect(subscriber.servers().get(id0)?.seqnum).to.be.greaterThan(before);
    expect(changes.at(-1)?.kind).to.equal('updated');
    const seqText = await readFile(join(dir, 'storage0', 'announcement-seqnum'), 'utf8');
    expect(Number(seqText)).to.equal(subscriber.servers().get(id0)?.seqnum);
  });

  it('reconnects, re-publishes and re-subscribes after the introducer restarts', async () => {
    const subscriberKey = await loadOrCreateNodeKey(join(dir, 'client', 'private'));
    const subscriber = client({ nodeKey: subscriberKey });
    await subscriber.start();
    const [first] = await publishers();
    await until(() => subscriber.servers().size === 2, 'both announcements');
    await subscriber.whenConnected({ timeoutMs: 10_000 });

    await introducer.close();
    await until(() => !subscriber.connected, 'the subscriber to notice');
    introducer = await startIntroducer(introducerPort);
    // The new introducer starts empty; the publishers must send their announcements again.
    await until(() => introducer.table.size === 2, 'the announcements to be re-published');
    await subscriber.whenConnected({ timeoutMs: 15_000 });
    const id0 = keys[0]?.keyString ?? '';
    await first?.publish('storage', { ...servers[0]?.announcement, nickname: 'after-restart' });
    await until(
      () => subscriber.servers().get(id0)?.ann.nickname === 'after-restart',
      'an update after restart',
    );
  });

  it('writes the cache in Tahoe shape and a new client starts from it', async () => {
    const cacheFile = join(dir, 'client', 'private', 'introducer_default_cache.yaml');
    const subscriberKey = await loadOrCreateNodeKey(join(dir, 'client', 'private'));
    const subscriber = client({ nodeKey: subscriberKey, cacheFile });
    await subscriber.start();
    await publishers();
    await until(() => subscriber.servers().size === 2, 'both announcements');
    await subscriber.close();
    const cached = await loadAnnouncementCache(cacheFile);
    expect(cached.entries.map((e) => e.key_s).sort()).to.deep.equal(keys.map((k) => k.keyString).sort());
    expect(cached.entries[0]?.ann['service-name']).to.equal('storage');

    await introducer.close();
    const offline = client({ nodeKey: subscriberKey, cacheFile });
    const changes: AnnouncementChange[] = [];
    offline.onChange((c) => changes.push(c));
    await offline.start();
    const known = offline.servers();
    expect(known.size).to.equal(2);
    expect([...known.values()].every((a) => !a.verified)).to.equal(true);
    expect(changes.map((c) => c.kind)).to.deep.equal(['new', 'new']);
    expect(offline.connected).to.equal(false);
    introducer = await startIntroducer(introducerPort);
  });

  it('refuses a bad signature, a wrong swissnum and stale seqnums', async () => {
    const key = keys[0] as NodeKey;
    const api = new IntroducerApi(parseIntroducerUrl(introducer.url));
    try {
      const signed = signAnnouncement({ 'service-name': 'storage', seqnum: 5, nickname: 'x' }, key);
      const forged = signAnnouncement(
        { 'service-name': 'storage', seqnum: 6, nickname: 'evil' },
        keys[1] as NodeKey,
      );
      let error: unknown;
      await api.publish({ ...forged, key: key.keyString }).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(IntroducerProtocolError);
      expect((error as IntroducerProtocolError).status).to.equal(400);
      expect((error as Error).message).to.match(/signature does not verify/);
      expect(introducer.table.size).to.equal(0);

      expect((await api.publish(signed)).result).to.equal('new');
      expect((await api.publish(signed)).result).to.equal('duplicate');
      const older = signAnnouncement({ 'service-name': 'storage', seqnum: 4, nickname: 'old' }, key);
      expect(await api.publish(older)).to.deep.equal({ result: 'stale', current: 5 });

      const url = parseIntroducerUrl(introducer.url);
      const wrong = new IntroducerApi({ ...url, swissnum: `${url.swissnum}x` });
      error = undefined;
      await wrong.subscribe('storage', undefined, 0).catch((e: unknown) => {
        error = e;
      });
      wrong.close();
      expect((error as IntroducerProtocolError).status).to.equal(401);
    } finally {
      api.close();
    }
  });

  it('continues above the seqnum the introducer remembers when its own counter was lost', async () => {
    const key = keys[0] as NodeKey;
    const api = new IntroducerApi(parseIntroducerUrl(introducer.url));
    await api.publish(signAnnouncement({ 'service-name': 'storage', seqnum: 40, nickname: 'earlier' }, key));
    api.close();
    const publisher = client({ nodeKey: key, services: [] });
    await publisher.start();
    await publisher.publish('storage', { ...servers[0]?.announcement, nickname: 'fresh' });
    await until(
      () => introducer.table.get('storage', key.keyString)?.ann.nickname === 'fresh',
      'the re-signed one',
    );
    expect(introducer.table.get('storage', key.keyString)?.seqnum).to.equal(41);
  });

  it('stops waiting when aborted', async () => {
    await introducer.close();
    const c = client({ nodeKey: keys[0] as NodeKey });
    await c.start();
    let error: unknown;
    await c.whenConnected({ timeoutMs: 200 }).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(AbortError);
    expect(c.lastError).to.be.instanceOf(IntroducerProtocolError);
    introducer = await startIntroducer(introducerPort);
  });
});
