/**
 * Temporary directories for tests that do not remove their own: each is made under the system's temporary
 * directory and removed, with everything in it, when the whole mocha run ends (one root `after` hook,
 * registered when this module is first imported).
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh, empty directory named `<prefix>XXXXXX`, removed at the end of the run. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

after(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
