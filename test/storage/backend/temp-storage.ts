/**
 * Set-up shared by the disk backend tests: a fresh storage directory per test, and fixed secrets.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A 32-byte secret filled with `b`. */
export const secret = (b: number): Uint8Array => new Uint8Array(32).fill(b);

/**
 * Registers mocha hooks that create an empty temporary directory before each test of the enclosing
 * `describe` and remove it after; returns a getter for the current test's directory.
 */
export function useTempDir(prefix: string): () => string {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error('useTempDir: no test is running');
    return dir;
  };
}
