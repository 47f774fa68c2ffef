/**
 * Where tests find the repository and the shared golden data, independent of where the compiled tests live.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (
      existsSync(candidate) &&
      (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'lafs'
    ) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no lafs package.json above ${start}`);
    dir = parent;
  }
}

/** The repository's root directory (found from the working directory upwards). */
export const repoRoot: string = findRepoRoot(process.cwd());

/** `../shared` beside the repository (override with `LAFS_SHARED`): golden vectors, fixtures, reference scripts. */
export const sharedDir: string = process.env.LAFS_SHARED ?? join(repoRoot, '..', 'shared');

/** The compiled CLI entry point beside these compiled tests (`<outDir>/src/cli/main.js`), for tests that spawn `lafs`. */
export const cliPath: string = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'src',
  'cli',
  'main.js',
);
