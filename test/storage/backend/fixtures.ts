/**
 * Loads the real Tahoe grid fixture (`sharedDir/fixtures/tahoe-grid`): manifest, share container files.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base32Decode } from '../../../src/crypto/base32.js';
import { sharedDir } from '../../support/paths.js';

/** One uploaded file of the manifest. */
export interface FixtureFile {
  kind: 'chk' | 'sdmf' | 'mdmf';
  size: number;
  cap: string;
  storage_index: string;
  dir: string;
  shares: Record<string, string>;
}

/** The manifest's fields these tests use. */
export interface FixtureManifest {
  files: FixtureFile[];
  client_lease_secret_file: string;
  servers: Record<string, { tubid_b32: string }>;
}

/** The fixture directory. */
export const fixtureDir = join(sharedDir, 'fixtures', 'tahoe-grid');

/** The parsed manifest. */
export const manifest: FixtureManifest = JSON.parse(
  readFileSync(join(fixtureDir, 'manifest.json'), 'utf8'),
) as FixtureManifest;

/** Decodes base32 or fails the test loudly. */
export function b32(text: string): Uint8Array {
  const bytes = base32Decode(text.trim());
  if (!bytes) throw new Error(`fixture: bad base32 ${text}`);
  return bytes;
}

/** The container file of share `shnum` of `file`. */
export function shareBytes(file: FixtureFile, shnum: number): Uint8Array {
  return new Uint8Array(readFileSync(join(fixtureDir, file.dir, `share-${shnum}`)));
}

/** The 20-byte tub id of the server that held share `shnum` of `file`. */
export function holderId(file: FixtureFile, shnum: number): Uint8Array {
  const server = file.shares[String(shnum)];
  const entry = server === undefined ? undefined : manifest.servers[server];
  if (!entry) throw new Error(`fixture: no server for share ${shnum} of ${file.dir}`);
  return b32(entry.tubid_b32);
}
