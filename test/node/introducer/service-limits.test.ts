/** The introducer's bounds: announcements held, waiting subscribers, body size and request parameters. */

import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  authorizationFor,
  createIntroducerService,
  IntroducerApi,
  type IntroducerProtocolError,
  nodeKeyFromSeed,
  parseIntroducerUrl,
  type RunningIntroducer,
  signAnnouncement,
} from '../../../src/node/introducer/index.js';
import { useLeakGuard } from '../../support/leak-guard.js';

function raw(
  introducer: RunningIntroducer,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  const url = parseIntroducerUrl(introducer.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: introducer.port,
        method,
        path,
        rejectUnauthorized: false,
        headers: { authorization: authorizationFor(url.swissnum) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('introducer service limits', function () {
  this.timeout(30_000);
  useLeakGuard();
  let dir: string;
  let introducer: RunningIntroducer;
  let api: IntroducerApi;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-intro-limits-'));
    introducer = await createIntroducerService({
      privateDir: join(dir, 'private'),
      listen: { host: '127.0.0.1', port: 0 },
      limits: { maxAnnouncements: 1, maxSubscribers: 1, maxWaitSeconds: 30 },
    });
    api = new IntroducerApi(parseIntroducerUrl(introducer.url));
  });

  afterEach(async () => {
    api.close();
    await introducer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses announcements beyond its maximum with 503', async () => {
    const a = nodeKeyFromSeed(new Uint8Array(32).fill(1));
    const b = nodeKeyFromSeed(new Uint8Array(32).fill(2));
    expect(
      (await api.publish(signAnnouncement({ 'service-name': 'storage', seqnum: 1 }, a))).result,
    ).to.equal('new');
    let error: unknown;
    await api.publish(signAnnouncement({ 'service-name': 'storage', seqnum: 1 }, b)).catch((e: unknown) => {
      error = e;
    });
    expect((error as IntroducerProtocolError).status).to.equal(503);
    // An update of a server already held is still accepted.
    expect(
      (await api.publish(signAnnouncement({ 'service-name': 'storage', seqnum: 2 }, a))).result,
    ).to.equal('updated');
  });

  it('refuses a second waiting subscriber with 503, and answers the first when closing', async () => {
    const waiting = api.subscribe('storage', undefined, 30);
    // The first poll (no cursor, nothing published) waits; a second one must be refused while it does.
    let second: { status: number; text: string } | undefined;
    for (let i = 0; i < 100 && second?.status !== 503; i++)
      second = await raw(introducer, 'GET', '/introducer/v1/subscribe?service=storage&wait=30');
    expect(second?.status).to.equal(503);
    await introducer.close();
    const answer = await waiting;
    expect(answer.announcements).to.deep.equal([]);
  });

  it('refuses oversized bodies, bad parameters and unknown endpoints', async () => {
    expect((await raw(introducer, 'POST', '/introducer/v1/publish', 'x'.repeat(40_000))).status).to.equal(
      413,
    );
    expect((await raw(introducer, 'POST', '/introducer/v1/publish', '{not json')).status).to.equal(400);
    expect((await raw(introducer, 'GET', '/introducer/v1/subscribe?service=')).status).to.equal(400);
    expect(
      (await raw(introducer, 'GET', '/introducer/v1/subscribe?service=storage&wait=-1')).status,
    ).to.equal(400);
    expect((await raw(introducer, 'GET', '/introducer/v1/nothing')).status).to.equal(404);
    const version = await raw(introducer, 'GET', '/introducer/v1/version');
    expect(JSON.parse(version.text)).to.have.property('http://allmydata.org/tahoe/protocols/introducer/v2');
  });
});
