import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { readImmutableInfo, readImmutableLeases } from '../../../src/storage/backend/immutable-container.js';
import { hashLeaseSecret } from '../../../src/storage/backend/lease-record.js';
import { LeaseSecrets } from '../../../src/storage/client/lease-secrets.js';
import { b32, fixtureDir, holderId, manifest } from '../backend/fixtures.js';

describe('lease secrets', () => {
  const secrets = new LeaseSecrets(b32(manifest.client_lease_secret_file));

  it('match the lease records a real Tahoe 1.20 client left on real Tahoe servers', async () => {
    let checked = 0;
    for (const file of manifest.files.filter((f) => f.kind === 'chk')) {
      const si = b32(file.storage_index);
      for (let shnum = 0; shnum < 10; shnum++) {
        const path = join(fixtureDir, file.dir, `share-${shnum}`);
        const fh = await open(path, 'r');
        try {
          const [lease] = await readImmutableLeases(fh, await readImmutableInfo(fh, path), path);
          const mine = secrets.forServer(si, holderId(file, shnum));
          expect(Buffer.from(lease!.renewSecret).equals(hashLeaseSecret(mine.renewSecret)), path).to.equal(
            true,
          );
          expect(Buffer.from(lease!.cancelSecret).equals(hashLeaseSecret(mine.cancelSecret)), path).to.equal(
            true,
          );
          checked++;
        } finally {
          await fh.close();
        }
      }
    }
    expect(checked).to.equal(30);
  });

  it('differ per server and per file', () => {
    const a = secrets.forServer(new Uint8Array(16), new Uint8Array(20));
    const b = secrets.forServer(new Uint8Array(16), new Uint8Array(20).fill(1));
    const c = secrets.forServer(new Uint8Array(16).fill(1), new Uint8Array(20));
    expect(Buffer.from(a.renewSecret).equals(b.renewSecret)).to.equal(false);
    expect(Buffer.from(a.renewSecret).equals(c.renewSecret)).to.equal(false);
    expect(Buffer.from(a.renewSecret).equals(a.cancelSecret)).to.equal(false);
  });
});
