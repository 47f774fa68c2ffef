import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseLocation } from '../../../src/endpoints/location.js';
import { createDefaultRegistry } from '../../../src/endpoints/registry.js';
import { PrivacyError } from '../../../src/errors.js';
import { InsecureKeyFileError } from '../../../src/storage/http/certificate.js';
import { parseNurl } from '../../../src/storage/http/nurl.js';
import {
  type AnnouncementSettings,
  announcedAddresses,
  announcementFor,
  loadStorageIdentity,
  SWISSNUM_FILE,
  storageNurls,
} from '../../../src/storage/server/identity.js';
import {
  StorageIdentityError,
  StorageIdentityMissingError,
  UnannounceableLocationError,
} from '../../../src/storage/server/identity-errors.js';
import { startStorageServer } from '../../../src/storage/server/start.js';

const ONION = 'pg6mmjiyjmcrsslvykfwnntlaru7p5svn6y2ymmju6nubxndf4pscryd.onion';
const I2P = 'ukeu3k5oycgaauneqgtnvselmt4yemvoilkln7jpvamvfx7dnkdq.b32.i2p';
const registry = createDefaultRegistry();

function settings(location: string, anonymous = false): AnnouncementSettings {
  return {
    anonymous,
    node: {
      nickname: 'n',
      tubLocation:
        location === 'disabled'
          ? { kind: 'disabled' }
          : { kind: 'items', items: parseLocation(registry, location) },
    },
  };
}

const interfaces = {
  lo: [{ address: '127.0.0.1', family: 'IPv4' }],
  eth0: [
    { address: '192.0.2.7', family: 'IPv4' },
    { address: 'fe80::1', family: 'IPv6' },
  ],
} as unknown as NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]>;

describe('storage server identity and announced addresses', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-identity-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('turns tub.location into addresses in order, without duplicates, AUTO expanded at the listen port', () => {
    const got = announcedAddresses(
      settings(`tcp:a.example:1,AUTO,tor:${ONION}:3457,i2p:${I2P},tcp:a.example:1`),
      {
        listenPort: 4000,
        interfaces,
      },
    );
    expect(got).to.deep.equal([
      { host: 'a.example', port: 1 },
      { host: '127.0.0.1', port: 4000 },
      { host: '192.0.2.7', port: 4000 },
      { host: ONION, port: 3457 },
      { host: I2P, port: undefined },
    ]);
  });

  it('gives i2p: hints without a port the [i2p] dest.port, as lafs run announces them', () => {
    const s = { ...settings(`i2p:${I2P},i2p:${I2P}:7`), i2p: { destination: { port: 3459 } } };
    expect(announcedAddresses(s)).to.deep.equal([
      { host: I2P, port: 3459 },
      { host: I2P, port: 7 },
    ]);
  });

  it('refuses locations that give clients nothing to connect to', () => {
    expect(() => announcedAddresses(settings('disabled'))).to.throw(
      UnannounceableLocationError,
      /"disabled"/,
    );
    expect(() => announcedAddresses(settings('UNREACHABLE'))).to.throw(
      UnannounceableLocationError,
      /UNREACHABLE/,
    );
    expect(() => announcedAddresses(settings('AUTO'))).to.throw(
      UnannounceableLocationError,
      /needs the TCP port/,
    );
  });

  it('refuses AUTO and tcp: hints on an anonymous node (PrivacyError) but accepts onion and I2P hints', () => {
    expect(() => announcedAddresses(settings('tcp:a.example:1', true))).to.throw(PrivacyError);
    expect(() => announcedAddresses(settings('AUTO', true), { listenPort: 1, interfaces })).to.throw(
      PrivacyError,
    );
    expect(announcedAddresses(settings(`tor:${ONION}:80`, true))).to.deep.equal([{ host: ONION, port: 80 }]);
  });

  it('refuses a hint scheme a NURL cannot carry', () => {
    const custom: AnnouncementSettings = {
      anonymous: false,
      node: {
        nickname: '',
        tubLocation: { kind: 'items', items: [{ type: 'hint', hint: { scheme: 'carrier-pigeon' } }] },
      },
    };
    expect(() => announcedAddresses(custom)).to.throw(UnannounceableLocationError, /"carrier-pigeon:"/);
  });

  it('creates the identity once (also when two callers race) and then loads the same one', async () => {
    const [a, b] = await Promise.all([loadStorageIdentity(dir), loadStorageIdentity(dir)]);
    const c = await loadStorageIdentity(dir, { create: false });
    expect(a?.tls.spkiHash).to.equal(c.tls.spkiHash);
    expect(b?.tls.spkiHash).to.equal(c.tls.spkiHash);
    expect(a?.swissnum).to.equal(c.swissnum);
    expect(c.nodeId).to.have.length(20);
    expect(c.swissnum).to.match(/^[a-z2-7]{32}$/);
    expect(c.permutationSeedBase32).to.match(/^[a-z2-7]{52}$/);
  });

  it('with create: false names the missing files and writes nothing', async () => {
    const error = await loadStorageIdentity(dir, { create: false }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(StorageIdentityMissingError);
    expect((error as StorageIdentityMissingError).missing).to.deep.equal([
      'storage-tls.key.pem',
      'storage-tls.cert.pem',
      'storage.swissnum',
    ]);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('refuses a swissnum file readable by others, or one that holds no swissnum', async () => {
    await loadStorageIdentity(dir);
    const path = join(dir, SWISSNUM_FILE);
    await chmod(path, 0o644);
    expect(await loadStorageIdentity(dir).catch((e: unknown) => e)).to.be.instanceOf(InsecureKeyFileError);
    await chmod(path, 0o600);
    await writeFile(path, 'not/a swissnum\n');
    const error = await loadStorageIdentity(dir).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(StorageIdentityError);
    expect((error as Error).message).to.include(path);
  });

  it('gives the running server exactly the NURLs and announcement that announcementFor computes', async () => {
    const identity = await loadStorageIdentity(dir);
    const s = settings(`tor:${ONION}:3457,i2p:${I2P},tcp:127.0.0.1:9`);
    const server = await startStorageServer({
      storageDir: join(dir, 'storage'),
      privateDir: dir,
      listen: { host: '127.0.0.1', port: 0 },
      announce: announcedAddresses(s),
      nickname: 'n',
      applicationVersion: 'lafs/test',
      crawler: false,
    });
    try {
      const expected = announcementFor(s, identity, { version: 'lafs/test' });
      expect(server.announcement).to.deep.equal(expected);
      expect(server.nurls).to.deep.equal(storageNurls(identity, announcedAddresses(s)));
      expect(server.nurls.map((n) => parseNurl(n).scheme)).to.deep.equal(['pb+tor', 'pb+i2p', 'pb']);
      expect(parseNurl(server.nurls[1] ?? '').port).to.equal(undefined);
    } finally {
      await server.close();
    }
  });
});
