/**
 * A subscriber must not trust its introducer: a hostile introducer (here a hand-written HTTPS server) that
 * forges, replays or mislabels announcements gets them refused one by one, and the good ones still count.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  AnnouncementRejectedError,
  BadSignatureError,
  formatIntroducerUrl,
  IntroducerClient,
  nodeKeyFromSeed,
  type SignedAnnouncement,
  signAnnouncement,
} from '../../../src/node/introducer/index.js';
import { loadOrCreateTlsIdentity } from '../../../src/storage/http/certificate.js';
import { sleep } from '../../../src/util/abort.js';
import { useLeakGuard } from '../../support/leak-guard.js';

const honest = nodeKeyFromSeed(new Uint8Array(32).fill(3));
const other = nodeKeyFromSeed(new Uint8Array(32).fill(4));

describe('introducer client: verifying what the introducer sends', function () {
  this.timeout(30_000);
  useLeakGuard();
  let dir: string;
  let server: Server;
  let url: string;
  let batches: SignedAnnouncement[][];
  let polls: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-hostile-intro-'));
    const identity = await loadOrCreateTlsIdentity(join(dir, 'private'));
    batches = [];
    polls = 0;
    let served = 0;
    server = createServer({ cert: identity.certPem, key: identity.keyPem }, (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      if (path === '/introducer/v1/subscribe') polls++;
      const batch = path === '/introducer/v1/subscribe' ? batches[served] : undefined;
      if (batch === undefined) return; // hold the poll open until the client goes away
      served++;
      const body = JSON.stringify({ cursor: `aaaa.${served}`, announcements: batch, more: false });
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    url = formatIntroducerUrl({
      spkiHash: identity.spkiHash,
      locations: [{ kind: 'tcp', host: '127.0.0.1', port }],
      swissnum: 'abc',
    });
  });

  afterEach(async () => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses forged, mislabelled and replayed announcements and keeps the good ones', async () => {
    const good = signAnnouncement({ 'service-name': 'storage', seqnum: 5, nickname: 'good' }, honest);
    const forged = {
      ...signAnnouncement({ 'service-name': 'storage', seqnum: 9, nickname: 'evil' }, other),
      key: honest.keyString,
    };
    const helper = signAnnouncement({ 'service-name': 'helper', seqnum: 1 }, other);
    const replay = signAnnouncement({ 'service-name': 'storage', seqnum: 4, nickname: 'old' }, honest);
    batches.push([forged, good, helper], [replay]);

    const client = new IntroducerClient({ url, nodeKey: other, backoff: { initialMs: 20, maxMs: 50 } });
    const problems: Error[] = [];
    client.onProblem((e) => problems.push(e));
    await client.start();
    try {
      // The third poll means both batches were received and processed.
      const deadline = Date.now() + 10_000;
      while (polls < 3) {
        if (Date.now() > deadline) throw new Error(`gave up; problems so far: ${problems.join('; ')}`);
        await sleep(20);
      }
      expect(problems.filter((p) => p instanceof AnnouncementRejectedError)).to.have.length(2);
      const servers = client.servers();
      expect([...servers.keys()]).to.deep.equal([honest.keyString]);
      expect(servers.get(honest.keyString)?.ann.nickname).to.equal('good');
      expect(servers.get(honest.keyString)?.seqnum).to.equal(5);
      expect(problems.some((p) => p instanceof BadSignatureError)).to.equal(true);
      expect(problems.some((p) => /service "helper"/.test(p.message))).to.equal(true);
      expect(client.servers('helper').size).to.equal(0);
    } finally {
      await client.close();
    }
  });
});
