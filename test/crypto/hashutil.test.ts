import { expect } from 'chai';
import { base32Decode, base32Encode } from '../../src/crypto/base32.js';
import * as hu from '../../src/crypto/hashutil.js';
import { sha256dHasher, taggedHash, taggedPairHash } from '../../src/crypto/sha256d.js';

const te = (s: string): Uint8Array => new TextEncoder().encode(s);
const b32 = base32Encode;

// Known answers published in Tahoe-LAFS's own test suite (src/allmydata/test/test_hashutil.py).
describe('crypto/hashutil known answers (Tahoe test_hashutil.py)', () => {
  it('tagged_hash', () => {
    expect(b32(taggedHash(te('tag'), te('hello world')))).to.equal(
      'yra322btzoqjp4ts2jon5dztgnilcdg6jgztgk7joi6qpjkitg2q',
    );
    expect(b32(taggedHash(te('different'), te('hello world')))).to.equal(
      'kfbsfssrv2bvtp3regne6j7gpdjcdjwncewriyfdtt764o5oa7ta',
    );
    expect(b32(taggedHash(te('different'), te('goodbye world')))).to.equal(
      'z34pzkgo36chbjz2qykonlxthc4zdqqquapw4bcaoogzvmmcr3zq',
    );
  });

  it('tagged_pair_hash', () => {
    expect(b32(taggedPairHash(te('tag'), te('hello'), te('world')))).to.equal(
      'wmto44q3shtezwggku2fxztfkwibvznkfu6clatnvfog527sb6dq',
    );
    expect(b32(taggedPairHash(te('different'), te('goodbye'), te('world')))).to.equal(
      'qnehpoypxxdhjheqq7dayloghtu42yr55uylc776zt23ii73o3oq',
    );
  });

  it('storage_index_hash', () => {
    expect(b32(hu.storageIndexHash(new Uint8Array(0)))).to.equal('qb5igbhcc5esa6lwqorsy7e6am');
    expect(b32(hu.storageIndexHash(te('x'.repeat(16))))).to.equal('wvggbrnrezdpa5yayrgiw5nzja');
    expect(b32(hu.storageIndexHash(base32Decode('2ckv3dfzh6rgjis6ogfqhyxnzy')))).to.equal(
      'aarbseqqrpsfowduchcjbonscq',
    );
  });

  it('convergence hasher tag', () => {
    const tag = hu.convergenceHasherTag(
      { needed: 3, total: 10, segmentSize: 1024 },
      new Uint8Array(16).fill(0x42),
    );
    expect(Buffer.from(tag).toString('latin1')).to.equal(
      `allmydata_immutable_content_to_key_with_added_secret_v1+16:${'B'.repeat(16)},9:3,10,1024,`,
    );
  });

  it('convergence hasher rejects out-of-range k and n', () => {
    const secret = new Uint8Array(16).fill(0x42);
    for (const k of [0, 2, 257]) {
      expect(() => hu.convergenceHasherTag({ needed: k, total: 1, segmentSize: 1024 }, secret)).to.throw(
        RangeError,
      );
    }
    for (const n of [0, 1, 257]) {
      expect(() => hu.convergenceHasherTag({ needed: 2, total: n, segmentSize: 1024 }, secret)).to.throw(
        RangeError,
      );
    }
  });

  const empty = new Uint8Array(0);
  const zeros20 = new Uint8Array(20);
  const cases: [string, () => Uint8Array, string][] = [
    ['block_hash', () => hu.blockHash(empty), 'msjr5bh4evuh7fa3zw7uovixfbvlnstr5b65mrerwfnvjxig2jvq'],
    [
      'uri_extension_hash',
      () => hu.uriExtensionHash(empty),
      'wthsu45q7zewac2mnivoaa4ulh5xvbzdmsbuyztq2a5fzxdrnkka',
    ],
    ['plaintext_hash', () => hu.plaintextHash(empty), '5lz5hwz3qj3af7n6e3arblw7xzutvnd3p3fjsngqjcb7utf3x3da'],
    ['crypttext_hash', () => hu.crypttextHash(empty), 'itdj6e4njtkoiavlrmxkvpreosscssklunhwtvxn6ggho4rkqwga'],
    [
      'crypttext_segment_hash',
      () => hu.crypttextSegmentHash(empty),
      'aovy5aa7jej6ym5ikgwyoi4pxawnoj3wtaludjz7e2nb5xijb7aa',
    ],
    [
      'plaintext_segment_hash',
      () => hu.plaintextSegmentHash(empty),
      '4fdgf6qruaisyukhqcmoth4t3li6bkolbxvjy4awwcpprdtva7za',
    ],
    [
      'convergence_hash',
      () => hu.convergenceHash({ needed: 3, total: 10, segmentSize: 100 }, empty, te('converge')),
      '3mo6ni7xweplycin6nowynw2we',
    ],
    [
      'my_renewal_secret_hash',
      () => hu.myRenewalSecretHash(empty),
      'ujhr5k5f7ypkp67jkpx6jl4p47pyta7hu5m527cpcgvkafsefm6q',
    ],
    [
      'my_cancel_secret_hash',
      () => hu.myCancelSecretHash(empty),
      'rjwzmafe2duixvqy6h47f5wfrokdziry6zhx4smew4cj6iocsfaa',
    ],
    [
      'file_renewal_secret_hash',
      () => hu.fileRenewalSecretHash(empty, te('si')),
      'hzshk2kf33gzbd5n3a6eszkf6q6o6kixmnag25pniusyaulqjnia',
    ],
    [
      'file_cancel_secret_hash',
      () => hu.fileCancelSecretHash(empty, te('si')),
      'bfciwvr6w7wcavsngxzxsxxaszj72dej54n4tu2idzp6b74g255q',
    ],
    [
      'bucket_renewal_secret_hash',
      () => hu.bucketRenewalSecretHash(empty, zeros20),
      'e7imrzgzaoashsncacvy3oysdd2m5yvtooo4gmj4mjlopsazmvuq',
    ],
    [
      'bucket_cancel_secret_hash',
      () => hu.bucketCancelSecretHash(empty, zeros20),
      'dvdujeyxeirj6uux6g7xcf4lvesk632aulwkzjar7srildvtqwma',
    ],
    ['hmac', () => hu.tahoeHmac(te('tag'), empty), 'c54ypfi6pevb3nvo6ba42jtglpkry2kbdopqsi7dgrm4r7tw5sra'],
    [
      'mutable_rwcap_key_hash',
      () => hu.mutableRwcapKeyHash(te('iv'), te('wk')),
      '6rvn2iqrghii5n4jbbwwqqsnqu',
    ],
    ['ssk_writekey_hash', () => hu.sskWritekeyHash(empty), 'ykpgmdbpgbb6yqz5oluw2q26ye'],
    [
      'ssk_write_enabler_master_hash',
      () => hu.sskWriteEnablerMasterHash(empty),
      'izbfbfkoait4dummruol3gy2bnixrrrslgye6ycmkuyujnenzpia',
    ],
    [
      'ssk_write_enabler_hash',
      () => hu.sskWriteEnablerHash(te('wk'), zeros20),
      'fuu2dvx7g6gqu5x22vfhtyed7p4pd47y5hgxbqzgrlyvxoev62tq',
    ],
    [
      'ssk_pubkey_fingerprint_hash',
      () => hu.sskPubkeyFingerprintHash(empty),
      '3opzw4hhm2sgncjx224qmt5ipqgagn7h5zivnfzqycvgqgmgz35q',
    ],
    ['ssk_readkey_hash', () => hu.sskReadkeyHash(empty), 'vugid4as6qbqgeq2xczvvcedai'],
    ['ssk_readkey_data_hash', () => hu.sskReadkeyDataHash(te('iv'), te('rk')), '73wsaldnvdzqaf7v4pzbr2ae5a'],
    ['ssk_storage_index_hash', () => hu.sskStorageIndexHash(empty), 'j7icz6kigb6hxrej3tv4z7ayym'],
    [
      'permute_server_hash',
      () => hu.permuteServerHash(te('SI'), base32Decode('u33m4y7klhz3bypswqkozwetvabelhxt')),
      'kb4354zeeurpo3ze5e275wzbynm6hlap',
    ],
  ];
  for (const [name, fn, expected] of cases) {
    it(name, () => expect(b32(fn())).to.equal(expected));
  }

  it('incremental hashing equals one-shot hashing at any split', () => {
    const data = te('the quick brown fox jumps over the lazy dog');
    const whole = hu.crypttextHash(data);
    for (let cut = 0; cut <= data.length; cut++) {
      const h = hu.crypttextHasher();
      h.update(data.subarray(0, cut)).update(data.subarray(cut));
      expect(b32(h.digest())).to.equal(b32(whole));
    }
  });

  it('a hasher refuses updates after digest', () => {
    const h = sha256dHasher();
    h.digest();
    expect(() => h.update(new Uint8Array(1))).to.throw();
  });

  it('peer ids must be 20 bytes', () => {
    expect(() => hu.bucketRenewalSecretHash(empty, new Uint8Array(19))).to.throw(RangeError, /20 bytes/);
  });
});
