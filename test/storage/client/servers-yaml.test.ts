import { readFileSync } from 'node:fs';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { base32Encode } from '../../../src/crypto/base32.js';
import { AnnouncementError } from '../../../src/storage/client/errors.js';
import { loadServersYaml, parseServersYaml } from '../../../src/storage/client/servers-yaml.js';
import { sharedDir } from '../../support/paths.js';
import { rejection } from '../../support/rejection.js';
import { makeTempDir } from '../../support/temp-dirs.js';

interface CachedAnnouncement {
  ann: Record<string, unknown>;
  key_s: string;
}

describe('servers.yaml', () => {
  const cache = parse(
    readFileSync(join(sharedDir, 'fixtures', 'tahoe-grid', 'announcements.yaml'), 'utf8'),
  ) as CachedAnnouncement[];

  it("loads a servers.yaml made from a real Tahoe client's announcement cache", () => {
    const text = stringify({ storage: Object.fromEntries(cache.map((c) => [c.key_s, { ann: c.ann }])) });
    const servers = parseServersYaml(text, 'servers.yaml');
    expect(servers).to.have.length(5);
    for (const [i, server] of servers.entries()) {
      const ann = cache[i]!.ann;
      expect(server.serverId).to.equal(cache[i]!.key_s);
      expect(server.nickname).to.equal(ann.nickname);
      expect(server.nurls).to.deep.equal(ann['anonymous-storage-NURLs']);
      expect(base32Encode(server.permutationSeed)).to.equal(ann['permutation-seed-base32']);
      const tubid = /^pb:\/\/([a-z2-7]+)@/.exec(ann['anonymous-storage-FURL'] as string)![1];
      expect(base32Encode(server.leaseSeed)).to.equal(tubid);
    }
  });

  it('an empty file or no storage section means no static servers', () => {
    expect(parseServersYaml('', 'servers.yaml')).to.deep.equal([]);
    expect(parseServersYaml('storage:\n', 'servers.yaml')).to.deep.equal([]);
  });

  it('names the file and the server for a bad entry', () => {
    const bad = 'storage:\n  v0-abc:\n    ann:\n      nickname: x\n';
    expect(() => parseServersYaml(bad, '/n/private/servers.yaml'))
      .to.throw(AnnouncementError)
      .with.property('message')
      .that.matches(/\/n\/private\/servers\.yaml: storage\.v0-abc\.ann: 'anonymous-storage-NURLs'/);
    expect(() => parseServersYaml('storage: [1, 2]', 'f.yaml')).to.throw(AnnouncementError, /f\.yaml/);
    expect(() =>
      parseServersYaml('storage: {a: {ann: {anonymous-storage-NURLs: ["http://x"]}}}', 'f.yaml'),
    ).to.throw(AnnouncementError, /bad NURL/);
    expect(() => parseServersYaml('storage: [unclosed', 'f.yaml')).to.throw(
      AnnouncementError,
      /not valid YAML/,
    );
  });

  it('checks the file before reading it: an oversized file or a directory is an AnnouncementError naming it', async () => {
    const dir = makeTempDir('lafs-servers-yaml-');
    const huge = join(dir, 'huge.yaml');
    // Sparse: larger than the limit (and than Node reads into one buffer) without using the disk.
    await writeFile(huge, '');
    await truncate(huge, 3 * 1024 * 1024 * 1024);
    for (const [path, reason] of [
      [huge, /larger than/],
      [dir, /cannot be read/],
    ] as const) {
      const error = await rejection(loadServersYaml(path));
      expect(error, path).to.be.instanceOf(AnnouncementError);
      expect(error.message).to.include(path).and.match(reason);
    }
    expect(await loadServersYaml(join(dir, 'missing.yaml'))).to.deep.equal([]);
  });
});
