import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { furlProblem } from '../../../src/config/sections/client.js';
import {
  formatIntroducerUrl,
  IntroducerUrlError,
  loadAnnouncementCache,
  parseIntroducerUrl,
  redactIntroducerUrl,
  saveAnnouncementCache,
} from '../../../src/node/introducer/index.js';
import { sharedDir } from '../../support/paths.js';

const HASH = 'DWQZhOgRVTlEW3KAXLyK5gyRI2rT610DdH4VU_2yj0I';

describe('introducer: URL', () => {
  it('formats and parses tcp, tor and i2p hints', () => {
    const url = formatIntroducerUrl({
      spkiHash: HASH,
      locations: [
        { kind: 'tcp', host: '127.0.0.1', port: 3456 },
        { kind: 'tor', host: `${'a'.repeat(56)}.onion`, port: 80 },
        { kind: 'i2p', host: `${'b'.repeat(52)}.b32.i2p`, port: undefined },
        { kind: 'tcp', host: '::1', port: 9 },
      ],
      swissnum: 'secret123',
    });
    expect(url).to.equal(
      `pb://${HASH}@tcp:127.0.0.1:3456,tor:${'a'.repeat(56)}.onion:80,i2p:${'b'.repeat(52)}.b32.i2p,tcp:[::1]:9/secret123`,
    );
    const parsed = parseIntroducerUrl(url);
    expect(parsed.swissnum).to.equal('secret123');
    expect(parsed.locations.map((l) => [l.kind, l.host, l.port])).to.deep.equal([
      ['tcp', '127.0.0.1', 3456],
      ['tor', `${'a'.repeat(56)}.onion`, 80],
      ['i2p', `${'b'.repeat(52)}.b32.i2p`, undefined],
      ['tcp', '::1', 9],
    ]);
  });

  it('is accepted by the tahoe.cfg [client] introducer.furl check', () => {
    const url = formatIntroducerUrl({
      spkiHash: HASH,
      locations: [{ kind: 'tcp', host: '127.0.0.1', port: 1 }],
      swissnum: 's',
    });
    expect(furlProblem(url)).to.equal(undefined);
  });

  it('accepts the NURL form and bare HOST:PORT hints', () => {
    const parsed = parseIntroducerUrl(`pb://${HASH}@localhost:99/abc#v=1`);
    expect(parsed.locations).to.deep.equal([{ kind: 'tcp', host: 'localhost', port: 99 }]);
  });

  it('refuses Foolscap fURLs and bad parts without revealing the swissnum', () => {
    const foolscap = 'pb://hkehdyi7nqjfiagl4hch6kkb43qxhdfx@tcp:127.0.0.1:41004/topsecretswiss';
    expect(() => parseIntroducerUrl(foolscap)).to.throw(IntroducerUrlError, /Foolscap/);
    try {
      parseIntroducerUrl(foolscap);
    } catch (error) {
      expect((error as Error).message).to.not.include('topsecretswiss');
    }
    expect(() => parseIntroducerUrl(`pb://${HASH}@tcp:127.0.0.1:0/s`)).to.throw(/bad port/);
    expect(() => parseIntroducerUrl(`pb://${HASH}@tor:example.com:80/s`)).to.throw(/\.onion/);
    expect(() => parseIntroducerUrl(`pb://${HASH}@/s`)).to.throw(IntroducerUrlError);
    expect(() => parseIntroducerUrl('https://example/')).to.throw(/expected pb:/);
    expect(redactIntroducerUrl(`pb://${HASH}@tcp:h:1/secret`)).to.equal(`pb://${HASH}@tcp:h:1/<secret>`);
  });
});

describe('introducer: announcement cache file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-intro-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads a real Tahoe-LAFS 1.20 cache and writes it back in the same shape', async () => {
    const fixture = join(sharedDir, 'fixtures', 'tahoe-grid', 'announcements.yaml');
    const loaded = await loadAnnouncementCache(fixture);
    expect(loaded.problems).to.deep.equal([]);
    expect(loaded.entries.length).to.equal(5);
    expect(loaded.entries[0]?.ann['service-name']).to.equal('storage');
    const path = join(dir, 'introducer_default_cache.yaml');
    await saveAnnouncementCache(path, loaded.entries);
    const again = await loadAnnouncementCache(path);
    expect(again.entries).to.deep.equal(loaded.entries);
    expect(await readFile(path, 'utf8')).to.match(/^- ann:\n/);
  });

  it('skips malformed entries with a reason and refuses a non-list', async () => {
    const path = join(dir, 'c.yaml');
    await writeFile(path, '- {ann: {service-name: storage}, key_s: bogus}\n- ann: 3\n  key_s: x\n');
    const loaded = await loadAnnouncementCache(path);
    expect(loaded.entries).to.deep.equal([]);
    expect(loaded.problems).to.have.length(2);
    expect(loaded.problems[0]).to.match(/entry 0: "key_s"/);
    await writeFile(path, 'a: 1\n');
    let error: unknown;
    await loadAnnouncementCache(path).catch((e: unknown) => {
      error = e;
    });
    expect((error as Error).message).to.match(/expected a list/);
    expect((await loadAnnouncementCache(join(dir, 'missing.yaml'))).entries).to.deep.equal([]);
  });
});
