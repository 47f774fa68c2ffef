/**
 * Shared helpers of the config tests: copy a fixture node directory to a fresh temporary directory (fixing the
 * `private/` mode, which git cannot store), and parse tahoe.cfg text.
 *
 * @module
 */
import { chmod, cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConfigCheckResult, parseNodeConfig } from '../../src/config/load.js';
import type { NodeType } from '../../src/config/types.js';
import { repoRoot } from '../support/paths.js';
import { makeTempDir } from '../support/temp-dirs.js';

/** `test/fixtures/config` in the source tree. */
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'config');

/** A fresh, empty temporary directory, removed when the test run ends. */
export async function tempDir(prefix = 'lafs-config-'): Promise<string> {
  return makeTempDir(prefix);
}

/** Copies fixture `name` into a temporary directory with `private/` at mode 0700, as Tahoe creates it. */
export async function copyFixture(name: string): Promise<string> {
  const dir = join(await tempDir(), name);
  await cp(join(fixturesDir, name), dir, { recursive: true });
  await mkdir(join(dir, 'private'), { recursive: true });
  await chmod(join(dir, 'private'), 0o700);
  return dir;
}

/** Parses tahoe.cfg text for a node in `/nodes/test`. */
export function parseText(text: string, nodeType: NodeType = 'client'): ConfigCheckResult {
  return parseNodeConfig(text, { file: 'tahoe.cfg', baseDir: '/nodes/test', nodeType });
}

/** The problems' codes and keys, for compact assertions. */
export function summary(result: ConfigCheckResult): string[] {
  return result.problems.map((p) => `${p.code} [${p.section}] ${p.key}`);
}
