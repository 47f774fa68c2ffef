import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { type GatewayFixture, startGatewayFixture } from './gateway-fixture.js';

/** PUTs a stream with node:http (chunked), as `lafs put` does. */
function httpPut(url: URL, body: Readable): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    pipeline(body, req).catch(reject);
  });
}

async function put(base: string, body: Uint8Array): Promise<string> {
  const res = await fetch(new URL('uri', base), { method: 'PUT', body });
  expect(res.status, await res.clone().text()).to.equal(200);
  return (await res.text()).trim();
}

describe('web gateway over a real local grid', function () {
  this.timeout(120_000);
  let fx: GatewayFixture;
  before(async () => {
    fx = await startGatewayFixture();
  });
  after(async () => {
    await fx?.close();
  });

  for (const size of [0, 55, 56, 1024 * 1024]) {
    it(`PUT /uri then GET /uri/$CAP round-trips ${size} bytes`, async () => {
      const data = randomBytes(size);
      const cap = await put(fx.gateway.url, data);
      expect(cap).to.match(size <= 55 ? /^URI:LIT:/ : /^URI:CHK:/);
      const res = await fetch(new URL(`uri/${encodeURIComponent(cap)}`, fx.gateway.url));
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-length')).to.equal(String(size));
      expect(res.headers.get('content-type')).to.equal('application/octet-stream');
      expect(Buffer.from(await res.arrayBuffer()).equals(data)).to.equal(true);
      expect(await readdir(fx.tmpDir)).to.deep.equal([]);
    });
  }

  it('is convergent: the same bytes give the same cap', async () => {
    const data = randomBytes(5000);
    expect(await put(fx.gateway.url, data)).to.equal(await put(fx.gateway.url, data));
  });

  describe('Range', () => {
    const data = randomBytes(300_000);
    let url: URL;
    before(async () => {
      url = new URL(`uri/${await put(fx.gateway.url, data)}`, fx.gateway.url);
    });
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 10],
      ['bytes=1000-200999', 1000, 201000],
      ['bytes=299990-', 299990, 300000],
      ['bytes=-100', 299900, 300000],
      ['bytes=299000-999999', 299000, 300000],
    ];
    for (const [header, from, to] of cases) {
      it(`${header} answers 206 with bytes ${from}..${to}`, async () => {
        const res = await fetch(url, { headers: { Range: header } });
        expect(res.status).to.equal(206);
        expect(res.headers.get('content-range')).to.equal(`bytes ${from}-${to - 1}/${data.length}`);
        expect(res.headers.get('content-length')).to.equal(String(to - from));
        expect(Buffer.from(await res.arrayBuffer()).equals(data.subarray(from, to))).to.equal(true);
      });
    }
    it('a range starting past the end answers 416 with Content-Range bytes */size', async () => {
      const res = await fetch(url, { headers: { Range: 'bytes=300000-' } });
      expect(res.status).to.equal(416);
      expect(res.headers.get('content-range')).to.equal('bytes */300000');
      await res.text();
    });
    it('several ranges are ignored: the whole file, 200', async () => {
      const res = await fetch(url, { headers: { Range: 'bytes=0-1,5-6' } });
      expect(res.status).to.equal(200);
      expect((await res.arrayBuffer()).byteLength).to.equal(data.length);
    });
    it('a range of a literal file', async () => {
      const small = randomBytes(40);
      const cap = await put(fx.gateway.url, small);
      const res = await fetch(new URL(`uri/${cap}`, fx.gateway.url), { headers: { Range: 'bytes=5-9' } });
      expect(res.status).to.equal(206);
      expect(Buffer.from(await res.arrayBuffer()).equals(small.subarray(5, 10))).to.equal(true);
    });
  });

  it('GET /uri/$CAP?t=json gives Tahoe\'s ["filenode", {...}] shape', async () => {
    const cap = await put(fx.gateway.url, randomBytes(1000));
    const res = await fetch(new URL(`uri/${cap}?t=json`, fx.gateway.url));
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/json');
    const [kind, info] = (await res.json()) as [string, Record<string, unknown>];
    expect(kind).to.equal('filenode');
    expect(info.ro_uri).to.equal(cap);
    expect(info.verify_uri).to.match(/^URI:CHK-Verifier:/);
    expect(info).to.include({ size: 1000, mutable: false, format: 'CHK' });
    const lit = await put(fx.gateway.url, Buffer.from('hello'));
    const [, litInfo] = (await (await fetch(new URL(`uri/${lit}?t=json`, fx.gateway.url))).json()) as [
      string,
      Record<string, unknown>,
    ];
    expect(litInfo).to.deep.equal({ ro_uri: lit, size: 5, mutable: false, format: 'LIT' });
  });

  it('GET /named/$CAP/NAME sets Content-Type from the extension', async () => {
    const cap = await put(
      fx.gateway.url,
      Buffer.from('{"a": 1, "padding": "more than fifty-five bytes long"}'),
    );
    for (const [name, type] of [
      ['data.json', 'application/json'],
      ['notes.TXT', 'text/plain; charset=utf-8'],
      ['blob', 'application/octet-stream'],
    ]) {
      const res = await fetch(new URL(`named/${cap}/${name}`, fx.gateway.url));
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal(type);
      expect(await res.text()).to.contain('"a": 1');
    }
  });

  describe('errors', () => {
    const check = async (path: string, status: number, text: RegExp, init?: RequestInit): Promise<void> => {
      const res = await fetch(new URL(path, fx.gateway.url), init);
      const body = await res.text();
      expect(res.status, body).to.equal(status);
      expect(res.headers.get('content-type')).to.equal('text/plain; charset=utf-8');
      expect(body).to.match(text);
      expect(body).not.to.match(/\n\s+at /);
    };
    it('a malformed cap: 400 naming the problem, the cap redacted', async () => {
      const bad = 'URI:CHK:notbase32!!:alsobad:3:10:1000';
      const res = await fetch(new URL(`uri/${encodeURIComponent(bad)}`, fx.gateway.url));
      const body = await res.text();
      expect(res.status).to.equal(400);
      expect(body).to.match(/^Invalid cap URI:CHK:<redacted, \d+ chars>: /);
      expect(body).not.to.contain('notbase32');
    });
    it('not a cap at all: 400', () => check('uri/hello', 400, /Invalid cap/));
    it('a verify cap cannot be read: 400', async () => {
      const cap = await put(fx.gateway.url, randomBytes(100));
      const [, info] = (await (await fetch(new URL(`uri/${cap}?t=json`, fx.gateway.url))).json()) as [
        string,
        { verify_uri: string },
      ];
      await check(`uri/${info.verify_uri}`, 400, /CHK-Verifier cap can check a file but not read it/);
    });
    it('a file with no shares on the grid: 410 Gone', () => {
      const missing = `URI:CHK:${'a'.repeat(26)}:${'a'.repeat(52)}:3:10:1000`;
      return check(`uri/${missing}`, 410, /NotEnoughSharesError/);
    });
    it('unknown pages: 404', () => check('nope', 404, /no such page/));
    it('a wrong method: 405 with Allow', async () => {
      const res = await fetch(new URL('status', fx.gateway.url), { method: 'DELETE' });
      expect(res.status).to.equal(405);
      expect(res.headers.get('allow')).to.equal('GET, HEAD');
      await res.text();
    });
    it('mutable uploads are not supported yet: 501', () =>
      check('uri?format=MDMF', 501, /immutable \(CHK\) files only/, { method: 'PUT', body: 'x' }));
  });

  it('GET /?t=json lists every server; GET / is HTML', async () => {
    const res = await fetch(new URL('?t=json', fx.gateway.url));
    expect(res.status).to.equal(200);
    const info = (await res.json()) as { nickname: string; servers: Record<string, unknown>[] };
    expect(info.nickname).to.equal('test-node');
    expect(info.servers).to.have.length(5);
    expect(info.servers[0]).to.include({
      nodeid: 'storage0',
      nickname: 'storage0',
      connected: true,
      connection_status: 'Connected to 127.0.0.1',
      last_received_data: 1_700_000_000,
      available_space: 1_000_000_000,
    });
    const html = await fetch(fx.gateway.url);
    expect(html.headers.get('content-type')).to.equal('text/html; charset=utf-8');
    const text = await html.text();
    expect(text).to.contain('Connected to 5 of 5 known storage servers');
    expect(text).to.contain('storage4');
  });

  it('/status shows finished uploads and downloads', async () => {
    const data = randomBytes(200_000);
    const cap = await put(fx.gateway.url, data);
    await (await fetch(new URL(`uri/${cap}`, fx.gateway.url))).arrayBuffer();
    const res = await fetch(new URL('status?t=json', fx.gateway.url));
    const status = (await res.json()) as {
      active: unknown[];
      recent: { type: string; state: string; size: number; progress: number; storageIndex: string }[];
    };
    const [download, upload] = status.recent;
    expect(download).to.include({ type: 'download', state: 'done', size: 200_000, progress: 1 });
    expect(upload).to.include({ type: 'upload', state: 'done', size: 200_000 });
    expect(upload!.storageIndex)
      .to.equal(download!.storageIndex)
      .and.to.match(/^[a-z2-7]{26}$/);
    expect(JSON.stringify(status)).not.to.contain(cap);
    const html = await (await fetch(new URL('status', fx.gateway.url))).text();
    expect(html).to.contain('Recent Operations').and.to.contain(upload!.storageIndex);
  });

  describe('POST /uri?t=upload (multipart)', () => {
    it('uploads the "file" field and answers a page naming the cap', async () => {
      const data = randomBytes(150_000);
      const form = new FormData();
      form.append('t', 'upload');
      form.append('file', new Blob([data]), 'photo.jpg');
      const res = await fetch(new URL('uri?t=upload', fx.gateway.url), { method: 'POST', body: form });
      const page = await res.text();
      expect(res.status, page).to.equal(200);
      const cap = /<code id="uri">([^<]+)<\/code>/.exec(page)?.[1];
      expect(cap).to.equal(await put(fx.gateway.url, data));
    });
    it('redirects to when_done with the cap', async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('tiny')]), 'a.txt');
      const res = await fetch(new URL('uri?t=upload&when_done=/done?cap=%25(uri)s', fx.gateway.url), {
        method: 'POST',
        body: form,
        redirect: 'manual',
      });
      expect(res.status).to.equal(303);
      const lit = await put(fx.gateway.url, Buffer.from('tiny'));
      expect(res.headers.get('location')).to.equal(`/done?cap=${encodeURIComponent(lit)}`);
    });
    it('a form without a file field: 400', async () => {
      const form = new FormData();
      form.append('t', 'upload');
      const res = await fetch(new URL('uri?t=upload', fx.gateway.url), { method: 'POST', body: form });
      expect(res.status).to.equal(400);
      expect(await res.text()).to.contain('no "file" field');
    });
  });

  it('streams a 160 MiB PUT and GET without holding the file in memory', async function () {
    this.timeout(300_000);
    const size = 160 * 1024 * 1024;
    const hash = createHash('sha256');
    const chunk = 256 * 1024;
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let sent = 0; sent < size; sent += chunk) {
        const piece = randomBytes(chunk);
        hash.update(piece);
        yield piece;
      }
    }
    // Sample live memory after a full GC (garbage would otherwise hide what is really held).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakLive = 0;
    const sampler = setInterval(() => {
      gc();
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakLive = Math.max(peakLive, m.arrayBuffers + m.heapUsed);
    }, 50);
    try {
      const res = await httpPut(new URL('uri', fx.gateway.url), Readable.from(body()));
      const cap = res.body.trim();
      expect(res.status, cap).to.equal(200);
      const check = createHash('sha256');
      const got = await fetch(new URL(`uri/${cap}`, fx.gateway.url));
      let received = 0;
      for await (const piece of got.body as unknown as AsyncIterable<Uint8Array>) {
        check.update(piece);
        received += piece.length;
      }
      expect(received).to.equal(size);
      expect(check.digest('hex')).to.equal(hash.digest('hex'));
    } finally {
      clearInterval(sampler);
    }
    const rssGrowth = peakRss - before.rss;
    const liveGrowth = peakLive - (before.arrayBuffers + before.heapUsed);
    const show = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    console.log(
      `      160 MiB PUT+GET: peak growth ${show(liveGrowth)} live (after GC), ${show(rssGrowth)} RSS`,
    );
    // This process is the client, the gateway and the 5 storage servers; a fixed overhead of a few tens of
    // MiB is expected, growth by the file size is not.
    expect(liveGrowth).to.be.lessThan(size / 2);
    expect(rssGrowth).to.be.lessThan(size);
    expect(await readdir(fx.tmpDir)).to.deep.equal([]);
  });
});
