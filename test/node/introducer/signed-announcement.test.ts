import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { base32Encode } from '../../../src/crypto/base32.js';
import {
  AnnouncementRejectedError,
  BadSignatureError,
  loadOrCreateNodeKey,
  NodeKeyError,
  nodeKeyFromSeed,
  parseKeyString,
  parsePrivateKeyString,
  pythonJsonDumps,
  signAnnouncement,
  verifyAnnouncement,
} from '../../../src/node/introducer/index.js';
import { sharedDir } from '../../support/paths.js';

// RFC 8032 §7.1, TEST 1 (empty message).
const RFC_SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const RFC_PUBLIC = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';
const RFC_SIG =
  'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b';

function storageAnn(seqnum: number): Record<string, unknown> {
  return {
    version: 0,
    nickname: 'storage1',
    'app-versions': [],
    'my-version': 'lafs/0.1.0',
    'oldest-supported': '1.0.0',
    'service-name': 'storage',
    'anonymous-storage-NURLs': ['pb://N-c7XDvMa1yD4g1NYeCOFyytQ1hg7JCpbVOlx2jvDts@127.0.0.1:41001/x#v=1'],
    seqnum,
    nonce: 'abc',
  };
}

describe('introducer: node key and signed announcements', () => {
  it('derives the RFC 8032 public key and signature from a seed', () => {
    const key = nodeKeyFromSeed(Buffer.from(RFC_SEED, 'hex'));
    expect(Buffer.from(key.publicKey).toString('hex')).to.equal(RFC_PUBLIC);
    expect(Buffer.from(key.sign(new Uint8Array(0))).toString('hex')).to.equal(RFC_SIG);
    expect(key.keyString).to.equal(`v0-${base32Encode(Buffer.from(RFC_PUBLIC, 'hex'))}`);
    expect(parsePrivateKeyString(`${key.privateKeyString}\n`, 'x').keyString).to.equal(key.keyString);
  });

  it('writes JSON exactly as Python json.dumps does (golden output of Python 3)', () => {
    const text = pythonJsonDumps({
      version: 0,
      nickname: 'caf\u00e9 \u{1F600} "q"\n',
      'app-versions': [],
      seqnum: 7,
      ok: true,
      none: null,
      list: [1, 'a\\b'],
    });
    expect(text).to.equal(
      '{"version": 0, "nickname": "caf\\u00e9 \\ud83d\\ude00 \\"q\\"\\n", "app-versions": [], "seqnum": 7, ' +
        '"ok": true, "none": null, "list": [1, "a\\\\b"]}',
    );
    expect(() => pythonJsonDumps({ x: 1.5 })).to.throw(RangeError);
  });

  it('round-trips sign and verify, with the signer as server id', () => {
    const key = nodeKeyFromSeed(new Uint8Array(32).fill(7));
    const signed = signAnnouncement(storageAnn(3), key);
    expect(signed.key).to.equal(key.keyString);
    expect(signed.sig).to.match(/^v0-[a-z2-7]{103}$/);
    const verified = verifyAnnouncement(JSON.parse(JSON.stringify(signed)), 'test');
    expect(verified.keyString).to.equal(key.keyString);
    expect(verified.serviceName).to.equal('storage');
    expect(verified.seqnum).to.equal(3);
    expect(verified.ann).to.deep.equal(storageAnn(3));
  });

  it('rejects a tampered message, a swapped key and a damaged signature', () => {
    const key = nodeKeyFromSeed(new Uint8Array(32).fill(7));
    const other = nodeKeyFromSeed(new Uint8Array(32).fill(8));
    const signed = signAnnouncement(storageAnn(3), key);
    const text = Buffer.from(signed.msg, 'base64').toString('utf8').replace('"seqnum": 3', '"seqnum": 9');
    const tampered = { ...signed, msg: Buffer.from(text).toString('base64') };
    expect(() => verifyAnnouncement(tampered, 'from the test')).to.throw(BadSignatureError, /from the test/);
    expect(() => verifyAnnouncement({ ...signed, key: other.keyString }, 't')).to.throw(BadSignatureError);
    const sig = `${signed.sig.slice(0, 10)}${signed.sig[10] === 'a' ? 'b' : 'a'}${signed.sig.slice(11)}`;
    expect(() => verifyAnnouncement({ ...signed, sig }, 't')).to.throw(BadSignatureError);
    try {
      verifyAnnouncement(tampered, 't');
    } catch (error) {
      expect((error as BadSignatureError).code).to.equal('ERR_ANNOUNCEMENT_BAD_SIGNATURE');
    }
  });

  it('rejects malformed announcements with a reason', () => {
    const key = nodeKeyFromSeed(new Uint8Array(32).fill(7));
    const noService = signAnnouncement({ seqnum: 1 }, key);
    expect(() => verifyAnnouncement(noService, 'a')).to.throw(AnnouncementRejectedError, /service-name/);
    const badSeq = signAnnouncement({ 'service-name': 'storage', seqnum: -1 }, key);
    expect(() => verifyAnnouncement(badSeq, 'a')).to.throw(AnnouncementRejectedError, /seqnum/);
    const good = signAnnouncement(storageAnn(1), key);
    expect(() => verifyAnnouncement({ ...good, sig: good.sig.slice(3) }, 'a')).to.throw(/v0- signatures/);
    expect(() => verifyAnnouncement({ ...good, key: 'v0-abc' }, 'a')).to.throw(/52 base32/);
    expect(() => verifyAnnouncement({ ...good, msg: 'A'.repeat(30_000) }, 'a')).to.throw(/exceeds/);
    expect(() => verifyAnnouncement('nope', 'a')).to.throw(AnnouncementRejectedError);
    expect(() => signAnnouncement({ big: 'x'.repeat(20_000) }, key)).to.throw(RangeError);
  });

  it('parses the key_s of real Tahoe-LAFS 1.20 announcements', async () => {
    const text = await readFile(join(sharedDir, 'fixtures', 'tahoe-grid', 'announcements.yaml'), 'utf8');
    const entries = parse(text) as { key_s: string }[];
    expect(entries.length).to.be.greaterThan(0);
    for (const { key_s } of entries) {
      const key = parseKeyString(key_s);
      expect(key, key_s).to.be.instanceOf(Uint8Array);
      expect(key?.length).to.equal(32);
      expect(`v0-${base32Encode(key ?? new Uint8Array())}`).to.equal(key_s);
    }
    expect(parseKeyString('v0-abc')).to.equal(undefined);
    expect(parseKeyString('pb://x')).to.equal(undefined);
  });

  describe('NODEDIR/private/node.privkey', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lafs-nodekey-'));
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));

    it('is created once as priv-v0-... with mode 0600, with node.pubkey beside private/', async () => {
      const privateDir = join(dir, 'private');
      const key = await loadOrCreateNodeKey(privateDir);
      const path = join(privateDir, 'node.privkey');
      const text = await readFile(path, 'utf8');
      expect(text).to.match(/^priv-v0-[a-z2-7]{52}\n$/);
      expect((await stat(path)).mode & 0o777).to.equal(0o600);
      expect(await readFile(join(dir, 'node.pubkey'), 'utf8')).to.equal(`pub-${key.keyString}\n`);
      const again = await loadOrCreateNodeKey(privateDir);
      expect(again.keyString).to.equal(key.keyString);
    });

    it('refuses a key readable by others and a malformed key', async () => {
      const privateDir = join(dir, 'private');
      await loadOrCreateNodeKey(privateDir);
      const path = join(privateDir, 'node.privkey');
      await chmod(path, 0o644);
      let error: unknown;
      await loadOrCreateNodeKey(privateDir).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(NodeKeyError);
      expect((error as Error).message).to.match(/mode 644/);
      await writeFile(path, 'pub-v0-xyz\n', { mode: 0o600 });
      await chmod(path, 0o600);
      error = undefined;
      await loadOrCreateNodeKey(privateDir).catch((e: unknown) => {
        error = e;
      });
      expect(error).to.be.instanceOf(NodeKeyError);
      expect((error as Error).message).to.match(/priv-v0-/);
    });
  });
});
