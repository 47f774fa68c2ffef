/**
 * The package's own version and the versions of its dependencies, read from the installed package.json files.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A package's name, version and where it was loaded from. */
export interface PackageInfo {
  name: string;
  version: string;
  path: string;
}

function isLafsPackage(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'lafs';
  } catch {
    return false;
  }
}

/** The first directory at or above `start` holding lafs's package.json, if any. */
function findLafsRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    if (isLafsPackage(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The directory holding lafs's own package.json: above this compiled file when installed normally, else (a
 * build into another directory, as in development) above the working directory.
 */
export const packageRoot: string | undefined =
  findLafsRoot(dirname(fileURLToPath(import.meta.url))) ?? findLafsRoot(process.cwd());

function readPackageJson(dir: string): {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
}

/** The directory of an installed package, looked up the way Node does: `node_modules` here and above. */
function findInstalledPackage(root: string, name: string): string | undefined {
  let dir = root;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** lafs's own version string, e.g. `0.1.0`. */
export function lafsVersion(): string {
  return packageRoot === undefined ? 'unknown' : readPackageJson(packageRoot).version;
}

/** lafs itself, Node.js, and every runtime dependency with its resolved version and location. */
export function versionsAndPaths(): PackageInfo[] {
  if (packageRoot === undefined)
    return [{ name: 'lafs', version: 'unknown', path: fileURLToPath(import.meta.url) }];
  const own = readPackageJson(packageRoot);
  const result: PackageInfo[] = [
    { name: own.name, version: own.version, path: packageRoot },
    { name: 'node', version: process.versions.node, path: process.execPath },
  ];
  for (const name of Object.keys(own.dependencies ?? {}).sort()) {
    const dir = findInstalledPackage(packageRoot, name);
    result.push(
      dir === undefined
        ? { name, version: 'not installed', path: '-' }
        : { name, version: readPackageJson(dir).version, path: dir },
    );
  }
  return result;
}
