/**
 * Creating a node directory, as Tahoe-LAFS's `create-node`, `create-client` and `create-introducer` do
 * (`allmydata/scripts/create_node.py`): the node-type marker, `tahoe.cfg`, and `private/` (mode 0700) with
 * `introducers.yaml`, the convergence secret and any listener keys (mode 0600). Combinations that could
 * not start are refused before anything is written: the new `tahoe.cfg` must pass the same loader (anonymity
 * rules included) that will read it.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { base32Encode } from '../../crypto/base32.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../../util/abort.js';
import { CreateNodeOptionsError, NodeDirNotEmptyError } from '../errors.js';
import { parseNodeConfig } from '../load.js';
import { furlProblem } from '../sections/client.js';
import type { NodeType } from '../types.js';
import { builtinListenerPlugins, type ListenerConfig, ListenerRegistry } from './listeners.js';
import type { CreateNodeOptions } from './options.js';
import { renderTahoeCfg } from './render.js';

/**
 * A new convergence secret file's content: 32 random bytes in base32 and a newline, as a Tahoe-LAFS client
 * generates `private/convergence` (`client.py` `_make_secret`, `docs/configuration.rst`).
 */
export function makeConvergenceSecret(): string {
  return `${base32Encode(randomBytes(32))}\n`;
}

/** What {@link createNodeDirectory} made. */
export interface CreatedNode {
  nodeDir: string;
  nodeType: NodeType;
  configFile: string;
  /** Advice for the user (no introducer yet, no nickname). */
  notes: string[];
}

/** Options of {@link createNodeDirectory} besides the node options. */
export interface CreateNodeDirectoryOptions extends AbortOptions {
  /** The listener kinds available (default: the built-in `tcp` and `none`). */
  listeners?: ListenerRegistry;
}

function listenKinds(options: CreateNodeOptions): string[] {
  if (options.kind === 'client') return ['none'];
  return options.listen ?? ['tcp'];
}

/** Every reason `options` cannot make a working node, as messages (empty when fine). */
export function validateCreateOptions(options: CreateNodeOptions, registry: ListenerRegistry): string[] {
  const problems: string[] = [];
  const kinds = listenKinds(options);
  const explicit = options.port !== undefined || options.location !== undefined;
  if (
    options.kind === 'client' &&
    (explicit || options.hostname !== undefined || options.listen !== undefined)
  ) {
    problems.push(
      'create-client makes a node that does not listen: --listen, --hostname, --port and --location do not apply',
    );
  }
  for (const kind of kinds) {
    if (registry.get(kind) === undefined)
      problems.push(`--listen= must be one or more of: ${registry.names().join(', ')} (got "${kind}")`);
  }
  if (kinds.includes('none') && kinds.length > 1)
    problems.push('--listen=none cannot be combined with other listeners');
  if (options.port !== undefined && options.location === undefined)
    problems.push('--port must be used with --location');
  if (options.location !== undefined && options.port === undefined)
    problems.push('--location must be used with --port');
  if (kinds.includes('none') && options.kind !== 'client') {
    if (options.hostname !== undefined) problems.push('--hostname cannot be used with --listen=none');
    if (explicit) problems.push('--port/--location cannot be used with --listen=none');
    if (options.kind === 'introducer')
      problems.push('an introducer must accept connections: --listen=none is not possible');
    if (options.kind === 'node' && options.noStorage !== true) {
      problems.push(
        'a storage server must accept connections: with --listen=none add --no-storage (or use create-client)',
      );
    }
    if (options.helper === true)
      problems.push('a helper must accept connections: --helper cannot be used with --listen=none');
  }
  if (explicit) {
    if (options.hostname !== undefined) problems.push('--hostname cannot be used with --port/--location');
  } else if (!kinds.includes('none')) {
    for (const kind of kinds) problems.push(...(registry.get(kind)?.validate(options) ?? []));
    if (options.hostname !== undefined && !kinds.includes('tcp'))
      problems.push('--hostname is only used with --listen=tcp');
    if (options.hideIp === true) {
      for (const kind of kinds) {
        if (registry.get(kind)?.hidesIp === false) {
          problems.push(
            `--hide-ip cannot be used with --listen=${kind}: it would publish this host's address; ` +
              'use --listen=tor or --listen=i2p (or --listen=none for a client)',
          );
        }
      }
    }
  }
  if (options.nickname !== undefined && /[\r\n]/.test(options.nickname))
    problems.push('--nickname must be one line');
  if (options.introducer !== undefined && furlProblem(options.introducer) !== undefined) {
    problems.push('--introducer must be a FURL (pb://TUBID@HINTS/NAME)');
  }
  for (const [name, value] of [
    ['--shares-needed', options.sharesNeeded],
    ['--shares-happy', options.sharesHappy],
    ['--shares-total', options.sharesTotal],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 256)) {
      problems.push(`${name} must be an integer 1-256 (got ${value})`);
    }
  }
  return problems;
}

function mergeListenerConfigs(configs: (ListenerConfig | undefined)[]): ListenerConfig | undefined {
  if (configs.some((c) => c === undefined)) return undefined;
  const merged: ListenerConfig = { tubPorts: [], tubLocations: [], sections: {}, privateFiles: {} };
  for (const config of configs as ListenerConfig[]) {
    merged.tubPorts.push(...config.tubPorts);
    merged.tubLocations.push(...config.tubLocations);
    for (const [name, items] of Object.entries(config.sections)) {
      if (Object.hasOwn(merged.sections, name))
        throw new CreateNodeOptionsError(`two listeners both configure [${name}]`);
      merged.sections[name] = items;
    }
    for (const [name, data] of Object.entries(config.privateFiles)) {
      if (!/^[\w.-]+$/.test(name) || name.startsWith('.'))
        throw new TypeError(`bad private file name "${name}"`);
      merged.privateFiles[name] = data;
    }
  }
  return merged;
}

async function ensureEmptyDir(nodeDir: string): Promise<void> {
  try {
    const info = await stat(nodeDir);
    if (!info.isDirectory() || (await readdir(nodeDir)).length > 0) throw new NodeDirNotEmptyError(nodeDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

async function writePrivate(path: string, data: string | Uint8Array): Promise<void> {
  await writeFile(path, data, { mode: 0o600, flag: 'wx' });
  await chmod(path, 0o600);
}

/**
 * Creates a node directory.
 *
 * @throws {CreateNodeOptionsError} listing every reason the options cannot make a working node.
 * @throws {NodeDirNotEmptyError} when `nodeDir` exists and is not an empty directory.
 */
export async function createNodeDirectory(
  options: CreateNodeOptions,
  extra: CreateNodeDirectoryOptions = {},
): Promise<CreatedNode> {
  const signal = combineSignals(extra, 'creating the node directory');
  const abort = { signal };
  throwIfAborted(signal, 'creating the node directory');
  const registry = extra.listeners ?? new ListenerRegistry(builtinListenerPlugins);
  const problems = validateCreateOptions(options, registry);
  if (problems.length > 0) throw new CreateNodeOptionsError(problems.join('\n'));
  const nodeDir = resolve(options.nodeDir);
  await ensureEmptyDir(nodeDir);

  const configs: (ListenerConfig | undefined)[] = [];
  for (const kind of listenKinds(options)) {
    configs.push(await registry.get(kind)?.createConfig(options, abort));
    throwIfAborted(signal, 'creating the node directory');
  }
  const listener = mergeListenerConfigs(configs);
  const text = renderTahoeCfg(options, listener);
  const nodeType: NodeType = options.kind === 'introducer' ? 'introducer' : 'client';
  const configFile = join(nodeDir, 'tahoe.cfg');
  const check = parseNodeConfig(text, { file: configFile, baseDir: nodeDir, nodeType });
  if (check.problems.length > 0) {
    const reasons = check.problems.map((p) => `[${p.section}] ${p.key}: ${p.reason}`);
    throw new CreateNodeOptionsError(
      `these options make a node that would not start:\n${reasons.join('\n')}`,
    );
  }

  await mkdir(nodeDir, { recursive: true });
  await writeFile(
    join(nodeDir, `tahoe-${nodeType}.tac`),
    '# Marker file: Tahoe-LAFS (1.11+) and lafs tell the node type from this file name; the content is never run.\n' +
      'raise SystemExit("this node directory needs Tahoe-LAFS 1.11 or later, or lafs")\n',
    { flag: 'wx' },
  );
  const privateDir = join(nodeDir, 'private');
  await mkdir(privateDir, { mode: 0o700 });
  await chmod(privateDir, 0o700);
  await writeFile(configFile, text, { flag: 'wx' });
  if (options.introducer !== undefined) {
    await writePrivate(
      join(privateDir, 'introducers.yaml'),
      toYaml({ introducers: { default: { furl: options.introducer } } }),
    );
  }
  if (nodeType === 'client') await writePrivate(join(privateDir, 'convergence'), makeConvergenceSecret());
  for (const [name, data] of Object.entries(listener?.privateFiles ?? {}))
    await writePrivate(join(privateDir, name), data);

  const notes: string[] = [];
  if (nodeType === 'client' && options.introducer === undefined) {
    notes.push(
      `No introducer yet: add one to ${join(privateDir, 'introducers.yaml')}; without it the node cannot find a grid.`,
    );
  }
  if (nodeType === 'client' && !options.nickname)
    notes.push(`No nickname: set [node] nickname in ${configFile}.`);
  return { nodeDir, nodeType, configFile, notes };
}
