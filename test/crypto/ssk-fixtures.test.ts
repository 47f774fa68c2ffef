import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { base32Decode, base32Encode } from '../../src/crypto/base32.js';
import { sskWriteEnablerHash } from '../../src/crypto/hashutil.js';
import { capStorageIndex, parseCap, toReadOnlyCap } from '../../src/storage/caps/index.js';
import { gridDir, loadManifest } from '../storage/support/tahoe-grid.js';

// Mutable slot container (Tahoe storage/mutable.py): 32-byte magic, 20-byte write-enabler node id, 32-byte
// write enabler, ...
describe('crypto/ssk-keys: write enablers and storage indexes of the real Tahoe grid mutable files', () => {
  const manifest = loadManifest() as ReturnType<typeof loadManifest> & {
    servers: Record<string, { tubid_b32: string }>;
  };
  for (const file of manifest.files.filter((f) => f.kind !== 'chk')) {
    it(`${file.dir}: storage index and the write enabler stored by each server`, () => {
      const cap = parseCap(file.cap);
      if (cap.kind !== 'SSK' && cap.kind !== 'MDMF') throw new Error(`unexpected ${cap.kind}`);
      expect(base32Encode(capStorageIndex(cap) as Uint8Array)).to.equal(file.storage_index);
      expect(base32Encode(capStorageIndex(toReadOnlyCap(cap)) as Uint8Array)).to.equal(file.storage_index);
      for (const [shnum, server] of Object.entries(file.shares)) {
        const container = readFileSync(join(gridDir, file.dir, `share-${shnum}`));
        expect(container.subarray(0, 25).toString('latin1')).to.equal('Tahoe mutable container v');
        const nodeId = base32Decode((manifest.servers[server] as { tubid_b32: string }).tubid_b32);
        expect(Buffer.from(container.subarray(32, 52)).equals(Buffer.from(nodeId))).to.equal(true);
        const we = sskWriteEnablerHash(cap.writekey, nodeId);
        expect(Buffer.from(container.subarray(52, 84)).toString('hex'), `share ${shnum}`).to.equal(
          Buffer.from(we).toString('hex'),
        );
      }
    });
  }
});
