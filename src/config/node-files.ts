/**
 * The files of a node directory other than `tahoe.cfg` that loading needs (Tahoe-LAFS `docs/configuration.rst`,
 * "Other Files in BASEDIR", "Introducer Definitions"): the node-type marker, the obsolete pre-1.3 config files
 * Tahoe refuses, the `private/` permissions and `private/introducers.yaml`.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { base32Decode } from '../crypto/base32.js';
import { ConfigFileError, type ConfigProblem, InvalidConfigValueError } from './errors.js';
import { redactFurl } from './reader.js';
import type { IntroducerSettings, NodePaths, NodeType } from './types.js';

/** No file of a node directory that lafs reads as text may exceed this (1 MiB). */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** The standard paths of a node directory. */
export function nodePaths(baseDir: string, nodeType: NodeType): NodePaths {
  const privateDir = join(baseDir, 'private');
  return {
    baseDir,
    configFile: join(baseDir, 'tahoe.cfg'),
    privateDir,
    convergenceFile: join(privateDir, 'convergence'),
    introducersFile: join(privateDir, 'introducers.yaml'),
    serversFile: join(privateDir, 'servers.yaml'),
    nodeUrlFile: join(baseDir, 'node.url'),
    portFile: join(baseDir, nodeType === 'introducer' ? 'introducer.port' : 'client.port'),
    nodeCertFile: join(privateDir, 'node.pem'),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The node type from the marker file Tahoe's `create-*` commands write (`tahoe-client.tac` or
 * `tahoe-introducer.tac`), or `undefined` when there is none (not a node directory).
 */
export async function detectNodeType(baseDir: string): Promise<NodeType | undefined> {
  if (await exists(join(baseDir, 'tahoe-introducer.tac'))) return 'introducer';
  if (await exists(join(baseDir, 'tahoe-client.tac'))) return 'client';
  return undefined;
}

/** Reads a text file of at most {@link MAX_CONFIG_FILE_BYTES}; `undefined` if it does not exist. */
export async function readSmallTextFile(
  path: string,
  problems: ConfigProblem[],
): Promise<string | undefined> {
  try {
    const info = await stat(path);
    if (info.size > MAX_CONFIG_FILE_BYTES) {
      problems.push(
        new ConfigFileError(
          { file: path, section: '', key: '' },
          `is ${info.size} bytes; configuration files are limited to ${MAX_CONFIG_FILE_BYTES} bytes`,
        ),
      );
      return undefined;
    }
    const bytes = await readFile(path);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const reason =
      error instanceof TypeError ? 'is not valid UTF-8' : `cannot be read (${(error as Error).message})`;
    problems.push(new ConfigFileError({ file: path, section: '', key: '' }, reason, { cause: error }));
    return undefined;
  }
}

/** Files of Tahoe-LAFS before 1.3 that Tahoe refuses to start with (`node.py` `_error_about_old_config_files`). */
const OLD_CONFIG_FILES = [
  'nickname',
  'webport',
  'keepalive_timeout',
  'log_gatherer.furl',
  'disconnect_timeout',
  'advertised_ip_addresses',
  'introducer.furl',
  'helper.furl',
  'key_generator.furl',
  'stats_gatherer.furl',
  'no_storage',
  'readonly_storage',
  'sizelimit',
  'debug_discard_storage',
  'run_helper',
];

/** Reports each pre-1.3 configuration file present (their settings now belong in tahoe.cfg). */
export async function checkOldConfigFiles(baseDir: string, problems: ConfigProblem[]): Promise<void> {
  for (const name of OLD_CONFIG_FILES) {
    const file = join(baseDir, name);
    if (await exists(file)) {
      problems.push(
        new ConfigFileError(
          { file, section: '', key: '' },
          'is an obsolete (pre-Tahoe-LAFS 1.3) configuration file; move its setting into tahoe.cfg and delete it',
        ),
      );
    }
  }
}

/** Reports a `private/` directory that other users can enter (it holds the node's secrets). */
export async function checkPrivateDir(privateDir: string, problems: ConfigProblem[]): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    const info = await stat(privateDir);
    if ((info.mode & 0o077) !== 0) {
      problems.push(
        new ConfigFileError(
          { file: privateDir, section: '', key: '' },
          `holds the node's secrets but has mode ${(info.mode & 0o777).toString(8)}; run "chmod 700 ${privateDir}"`,
        ),
      );
    }
  } catch {
    // A missing private/ is created by the node on first start.
  }
}

/**
 * Reads `private/introducers.yaml` (`introducers: {PETNAME: {furl: FURL}}`). A missing file means no
 * introducers; an empty or malformed one is a problem, as in Tahoe.
 */
export async function readIntroducers(
  paths: NodePaths,
  problems: ConfigProblem[],
): Promise<IntroducerSettings[]> {
  const file = paths.introducersFile;
  const text = await readSmallTextFile(file, problems);
  if (text === undefined) return [];
  const where = (key: string, value?: string) => ({ file, section: 'introducers', key, value });
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    problems.push(
      new ConfigFileError(where(''), `is not valid YAML (${(error as Error).message})`, { cause: error }),
    );
    return [];
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    problems.push(new ConfigFileError(where(''), 'must be a YAML mapping with an "introducers" key'));
    return [];
  }
  const introducers = (document as Record<string, unknown>).introducers ?? {};
  if (introducers === null || typeof introducers !== 'object' || Array.isArray(introducers)) {
    problems.push(new InvalidConfigValueError(where(''), '"introducers" must map petnames to {furl: ...}'));
    return [];
  }
  const result: IntroducerSettings[] = [];
  for (const [petname, entry] of Object.entries(introducers as Record<string, unknown>)) {
    const furl = (entry as { furl?: unknown } | null)?.furl;
    if (typeof furl !== 'string' || !furl.startsWith('pb://')) {
      problems.push(
        new InvalidConfigValueError(
          where(petname, redactFurl(String(furl))),
          'needs "furl: pb://..." (a string)',
        ),
      );
      continue;
    }
    result.push({ petname, furl, cacheFile: join(paths.privateDir, `introducer_${petname}_cache.yaml`) });
  }
  return result;
}

/**
 * Reads the convergence secret from `private/convergence` (base32, surrounding blanks ignored; an empty file
 * means the empty secret, which converges with everyone: `docs/configuration.rst`). `undefined` when the file
 * does not exist yet (the node generates it on first start).
 *
 * @throws {ConfigFileError} when the file is unreadable or not base32 (the message never shows the secret).
 */
export async function readConvergenceSecret(paths: NodePaths): Promise<Uint8Array | undefined> {
  const problems: ConfigProblem[] = [];
  const text = await readSmallTextFile(paths.convergenceFile, problems);
  if (problems[0] !== undefined) throw problems[0];
  if (text === undefined) return undefined;
  try {
    return base32Decode(text.trim());
  } catch {
    // No cause: the decoder's message quotes a character of the secret.
    throw new ConfigFileError(
      { file: paths.convergenceFile, section: '', key: '' },
      'is not a base32 convergence secret; restore it from a backup (changing it stops deduplication with earlier uploads)',
    );
  }
}
