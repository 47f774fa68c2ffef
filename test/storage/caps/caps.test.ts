import { expect } from 'chai';
import { base32Encode } from '../../../src/crypto/base32.js';
import { sskReadkeyHash, sskStorageIndexHash, storageIndexHash } from '../../../src/crypto/hashutil.js';
import {
  type Cap,
  capStorageIndex,
  formatCap,
  isMutableCap,
  isWriteCap,
  MalformedCapError,
  parseCap,
  redactCap,
  toReadOnlyCap,
  toVerifierCap,
} from '../../../src/storage/caps/index.js';

const k16 = base32Encode(new Uint8Array(16).map((_, i) => i + 1));
const h32 = base32Encode(new Uint8Array(32).map((_, i) => 200 - i));

const samples: Record<string, string> = {
  LIT: 'URI:LIT:mzxw6ytboi',
  CHK: `URI:CHK:${k16}:${h32}:3:10:204800`,
  'CHK-Verifier': `URI:CHK-Verifier:${k16}:${h32}:3:10:204800`,
  SSK: `URI:SSK:${k16}:${h32}`,
  'SSK-RO': `URI:SSK-RO:${k16}:${h32}`,
  'SSK-Verifier': `URI:SSK-Verifier:${k16}:${h32}`,
  MDMF: `URI:MDMF:${k16}:${h32}`,
  'MDMF-RO': `URI:MDMF-RO:${k16}:${h32}`,
  'MDMF-Verifier': `URI:MDMF-Verifier:${k16}:${h32}`,
  DIR2: `URI:DIR2:${k16}:${h32}`,
  'DIR2-RO': `URI:DIR2-RO:${k16}:${h32}`,
  'DIR2-Verifier': `URI:DIR2-Verifier:${k16}:${h32}`,
  'DIR2-CHK': `URI:DIR2-CHK:${k16}:${h32}:1:1:99`,
  'DIR2-CHK-Verifier': `URI:DIR2-CHK-Verifier:${k16}:${h32}:2:3:1000`,
  'DIR2-LIT': 'URI:DIR2-LIT:',
  'DIR2-MDMF': `URI:DIR2-MDMF:${k16}:${h32}`,
  'DIR2-MDMF-RO': `URI:DIR2-MDMF-RO:${k16}:${h32}`,
  'DIR2-MDMF-Verifier': `URI:DIR2-MDMF-Verifier:${k16}:${h32}`,
};

function thrown(fn: () => unknown): MalformedCapError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(MalformedCapError);
    return e as MalformedCapError;
  }
  throw new Error('expected an error');
}

describe('storage/caps', () => {
  for (const [kind, text] of Object.entries(samples)) {
    it(`round-trips ${kind}`, () => {
      const cap = parseCap(text);
      expect(cap.kind).to.equal(kind);
      expect(formatCap(cap)).to.equal(text);
    });
  }

  it('parses CHK fields', () => {
    const cap = parseCap(samples.CHK as string);
    if (cap.kind !== 'CHK') throw new Error('wrong kind');
    expect(Array.from(cap.key)).to.deep.equal(Array.from({ length: 16 }, (_, i) => i + 1));
    expect([cap.needed, cap.total, cap.size]).to.deep.equal([3, 10, 204800]);
  });

  it('accepts and drops the extra fields of MDMF caps, as Tahoe does', () => {
    const cap = parseCap(`URI:MDMF:${k16}:${h32}:3:131073`);
    expect(formatCap(cap)).to.equal(samples.MDMF);
  });

  it('derives read-only and verify caps of SSK/MDMF as Tahoe does', () => {
    const w = parseCap(samples.SSK as string);
    const ro = toReadOnlyCap(w);
    if (ro.kind !== 'SSK-RO' || w.kind !== 'SSK') throw new Error('wrong kind');
    expect(base32Encode(ro.readkey)).to.equal(base32Encode(sskReadkeyHash(w.writekey)));
    const v = toVerifierCap(w);
    if (v?.kind !== 'SSK-Verifier') throw new Error('wrong kind');
    expect(base32Encode(v.storageIndex)).to.equal(base32Encode(sskStorageIndexHash(ro.readkey)));
    expect(formatCap(toVerifierCap(ro) as Cap)).to.equal(formatCap(v));
    const dir = parseCap(samples['DIR2-MDMF'] as string);
    expect(toReadOnlyCap(dir).kind).to.equal('DIR2-MDMF-RO');
    expect(toVerifierCap(dir)?.kind).to.equal('DIR2-MDMF-Verifier');
    expect(toVerifierCap(parseCap(samples.DIR2 as string))?.kind).to.equal('DIR2-Verifier');
    expect(toVerifierCap(parseCap(samples['DIR2-CHK'] as string))?.kind).to.equal('DIR2-CHK-Verifier');
  });

  it('derives the CHK verify cap and storage index from the key', () => {
    const cap = parseCap(samples.CHK as string);
    if (cap.kind !== 'CHK') throw new Error('wrong kind');
    const v = toVerifierCap(cap);
    expect(formatCap(v as Cap)).to.equal(
      `URI:CHK-Verifier:${base32Encode(storageIndexHash(cap.key))}:${h32}:3:10:204800`,
    );
    expect(base32Encode(capStorageIndex(cap) as Uint8Array)).to.equal(
      base32Encode(storageIndexHash(cap.key)),
    );
    expect(toReadOnlyCap(cap)).to.equal(cap);
  });

  it('LIT caps have no verifier and no storage index', () => {
    expect(toVerifierCap(parseCap(samples.LIT as string))).to.equal(undefined);
    expect(toVerifierCap(parseCap(samples['DIR2-LIT'] as string))).to.equal(undefined);
    expect(capStorageIndex(parseCap(samples.LIT as string))).to.equal(undefined);
  });

  it('classifies caps', () => {
    expect(isWriteCap(parseCap(samples.DIR2 as string))).to.equal(true);
    expect(isWriteCap(parseCap(samples['SSK-RO'] as string))).to.equal(false);
    expect(isMutableCap(parseCap(samples['MDMF-Verifier'] as string))).to.equal(true);
    expect(isMutableCap(parseCap(samples['DIR2-CHK'] as string))).to.equal(false);
  });

  const chk = samples.CHK as string;
  const malformed: [string, string, string, number | undefined][] = [
    ['no URI: prefix', `XRI:CHK:${k16}`, 'prefix', 0],
    ['unknown type', `URI:FOO:${k16}`, 'prefix', 0],
    ['nothing after the type', 'URI:CHK', 'fields', undefined],
    ['too few CHK fields', `URI:CHK:${k16}:${h32}:3:10`, 'fields', undefined],
    ['too many CHK fields', `${chk}:7`, 'fields', undefined],
    ['short key', `URI:CHK:${k16.slice(1)}:${h32}:3:10:5`, 'key', 8],
    ['uppercase in key', `URI:CHK:${k16.toUpperCase()}:${h32}:3:10:5`, 'key', 8],
    ['non-canonical key tail', `URI:CHK:${k16.slice(0, 25)}b:${h32}:3:10:5`, 'key', 33],
    ['bad UEB hash', `URI:CHK:${k16}:${h32.slice(0, 51)}1:3:10:5`, 'uebHash', 86],
    ['k = 0', `URI:CHK:${k16}:${h32}:0:10:5`, 'needed', 88],
    ['N = 257', `URI:CHK:${k16}:${h32}:3:257:5`, 'total', 90],
    ['k > N', `URI:CHK:${k16}:${h32}:4:3:5`, 'needed', 88],
    ['leading zero', `URI:CHK:${k16}:${h32}:03:10:5`, 'needed', 88],
    ['negative size', `URI:CHK:${k16}:${h32}:3:10:-5`, 'size', 93],
    ['huge size', `URI:CHK:${k16}:${h32}:3:10:99999999999999999999`, 'size', 93],
    ['SSK with a third field', `${samples.SSK}:x`, 'fields', undefined],
    ['SSK short fingerprint', `URI:SSK:${k16}:${h32.slice(2)}`, 'fingerprint', 35],
    ['MDMF-RO bad readkey', `URI:MDMF-RO:${k16.replace('a', '1')}:${h32}`, 'readkey', undefined],
    ['LIT bad length', 'URI:LIT:abc', 'data', 11],
    ['DIR2-CHK inner error', `URI:DIR2-CHK:${k16}:${h32}:3:x:5`, 'total', 95],
    ['surrounding space', ` ${chk}`, 'prefix', 0],
  ];
  for (const [name, text, field, position] of malformed) {
    it(`rejects a cap with ${name}`, () => {
      const e = thrown(() => parseCap(text));
      expect(e.field).to.equal(field);
      if (position !== undefined) expect(e.position).to.equal(position);
      expect(e.code).to.equal('ERR_MALFORMED_CAP');
      expect(e.kind).to.equal('input');
      // the secret never appears in the message
      expect(e.message).to.not.include(k16);
      expect(e.message).to.not.include(h32);
    });
  }

  it('redacts caps to their prefix and length', () => {
    expect(redactCap(chk)).to.equal(`URI:CHK:<redacted, ${chk.length} chars>`);
    expect(redactCap('secret')).to.equal('<redacted, 6 chars>');
  });
});
