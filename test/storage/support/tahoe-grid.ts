/**
 * Access to the real Tahoe-LAFS grid fixtures in `sharedDir/fixtures/tahoe-grid` (see its README): the
 * manifest, the regenerated plaintexts, and the share data inside each server's container file.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../../support/paths.js';

/** One file of the manifest. */
export interface FixtureFile {
  kind: 'chk' | 'sdmf' | 'mdmf';
  size: number;
  seed: string;
  sha256: string;
  cap: string;
  storage_index: string;
  dir: string;
  shares: Record<string, string>;
}

/** The grid fixture directory. */
export const gridDir = join(sharedDir, 'fixtures', 'tahoe-grid');

/** The parsed manifest. */
export function loadManifest(): { convergence_secret_hex: string; files: FixtureFile[] } {
  return JSON.parse(readFileSync(join(gridDir, 'manifest.json'), 'utf8')) as {
    convergence_secret_hex: string;
    files: FixtureFile[];
  };
}

/** The data rule: `(H0||H1||...)[:size]`, `H0 = sha256(seed)`, `H(i+1) = sha256(H(i))`. */
export function fixturePlaintext(file: FixtureFile): Uint8Array {
  const out = new Uint8Array(file.size);
  let h = createHash('sha256').update(file.seed).digest();
  for (let pos = 0; pos < file.size; pos += 32) {
    out.set(h.subarray(0, Math.min(32, file.size - pos)), pos);
    h = createHash('sha256').update(h).digest();
  }
  return out;
}

/**
 * The share data inside an immutable container file (Tahoe `storage/immutable.py`): a 12-byte header
 * (version, data length, lease count), the share data, then 72-byte lease records.
 */
export function immutableShareData(file: FixtureFile, shareNumber: number): Uint8Array {
  const container = readFileSync(join(gridDir, file.dir, `share-${shareNumber}`));
  const leases = container.readUInt32BE(8);
  return new Uint8Array(container.subarray(12, container.length - 72 * leases));
}
