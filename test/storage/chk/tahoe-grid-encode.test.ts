import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { encodeImmutable } from '../../../src/storage/chk/encode-immutable.js';
import { fixturePlaintext, immutableShareData, loadManifest } from '../support/tahoe-grid.js';

const manifest = loadManifest();
const secret = new Uint8Array(Buffer.from(manifest.convergence_secret_hex, 'hex'));

describe('storage/chk: re-encoding the real Tahoe grid CHK files gives identical caps and shares', () => {
  for (const file of manifest.files.filter((f) => f.kind === 'chk')) {
    it(`${file.dir}: same cap and byte-identical shares 0..9`, async () => {
      const plaintext = fixturePlaintext(file);
      expect(createHash('sha256').update(plaintext).digest('hex')).to.equal(file.sha256);
      const result = await encodeImmutable(plaintext, { convergenceSecret: secret, needed: 3, total: 10 });
      expect(result.cap).to.equal(file.cap);
      expect(Buffer.from(result.storageIndex as Uint8Array).length).to.equal(16);
      for (let sh = 0; sh < 10; sh++) {
        const expected = immutableShareData(file, sh);
        const actual = result.shares[sh] as Uint8Array;
        expect(actual.length, `share ${sh} length`).to.equal(expected.length);
        expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected)), `share ${sh} bytes`).to.equal(0);
      }
    });
  }

  it('streams the source twice through a function source and gets the same cap', async () => {
    const file = manifest.files.find((f) => f.dir === 'chk-2621440');
    if (!file) throw new Error('fixture chk-2621440 missing from the manifest');
    const plaintext = fixturePlaintext(file);
    let passes = 0;
    const source = async function* (): AsyncIterable<Uint8Array> {
      passes++;
      for (let i = 0; i < plaintext.length; i += 100_000) yield plaintext.subarray(i, i + 100_000);
    };
    const result = await encodeImmutable(source, { convergenceSecret: secret });
    expect(result.cap).to.equal(file.cap);
    expect(passes).to.equal(2);
  });
});
