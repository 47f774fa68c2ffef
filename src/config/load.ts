/**
 * Loading a node directory: `tahoe.cfg` and the files beside it into {@link NodeSettings}, reporting every
 * problem at once (Tahoe-LAFS `docs/configuration.rst`; unknown sections and keys are refused as
 * `allmydata/util/configutil.py` `validate_config` refuses them, with a did-you-mean suggestion).
 *
 * @module
 */
import { resolve } from 'node:path';
import { type AbortOptions, throwIfAborted } from '../util/abort.js';
import { checkAnonymity } from './anonymity.js';
import { type DescriptorParsers, defaultDescriptorParsers } from './descriptors.js';
import {
  ConfigErrors,
  ConfigFileError,
  type ConfigProblem,
  ConflictingConfigError,
  UnknownConfigKeyError,
  UnknownConfigSectionError,
} from './errors.js';
import { type IniDocument, parseIni } from './ini.js';
import {
  checkOldConfigFiles,
  checkPrivateDir,
  detectNodeType,
  nodePaths,
  readIntroducers,
  readSmallTextFile,
} from './node-files.js';
import { ConfigReader } from './reader.js';
import { closest, sectionOwningKey, sectionSchema } from './schema.js';
import {
  readClientSection,
  readHelperSection,
  readSftpdSection,
  readStorageSection,
} from './sections/client.js';
import { readConnectionsSection, readI2pSection, readTorSection } from './sections/network.js';
import { readNodeSection } from './sections/node.js';
import type { NodeSettings, NodeType } from './types.js';

/** Options of {@link parseNodeConfig}. */
export interface ParseNodeConfigOptions {
  /** The file name used in messages (and the node directory's `tahoe.cfg`). */
  file: string;
  /** The node directory; relative paths resolve against it. */
  baseDir: string;
  nodeType: NodeType;
  /** The endpoint-descriptor parsers (default: `src/endpoints`' default registry). */
  parsers?: DescriptorParsers;
}

/** What a check finds: the settings when there is no problem, every problem, and advisory warnings. */
export interface ConfigCheckResult {
  settings: NodeSettings | undefined;
  problems: ConfigProblem[];
  /** Deprecated but working settings (e.g. `[client] introducer.furl`). */
  warnings: string[];
}

/** Refuses unknown sections and keys, suggesting the closest known name. */
function validateNames(document: IniDocument, nodeType: NodeType, problems: ConfigProblem[]): void {
  const file = document.file;
  for (const section of document.sections.values()) {
    const at = { file, section: section.name, key: '', line: section.line };
    if (section.name === 'DEFAULT') {
      if (section.entries.size > 0) {
        problems.push(
          new UnknownConfigSectionError(
            at,
            '[DEFAULT] would apply its keys to every section; tahoe.cfg does not use it: move each key to its section',
          ),
        );
      }
      continue;
    }
    const schema = sectionSchema(nodeType, section.name);
    if (schema.kind === 'open') continue;
    if (schema.kind === 'removed') {
      problems.push(new UnknownConfigSectionError(at, schema.reason));
      continue;
    }
    if (schema.kind === 'unknown') {
      const forType =
        nodeType === 'introducer'
          ? ' for an introducer (it reads only [node], [connections], [tor], [i2p])'
          : '';
      const hint = schema.suggestion === undefined ? '' : `; did you mean [${schema.suggestion}]?`;
      problems.push(
        new UnknownConfigSectionError(
          at,
          `unknown section [${section.name}]${forType}${hint}`,
          schema.suggestion,
        ),
      );
      continue;
    }
    for (const entry of section.entries.values()) {
      if (schema.keys.includes(entry.name)) continue;
      const where = { file, section: section.name, key: entry.key, value: entry.raw, line: entry.line };
      const owner = sectionOwningKey(nodeType, section.name, entry.name);
      const suggestion = closest(entry.name, schema.keys);
      const hint =
        owner !== undefined
          ? `; "${entry.name}" belongs in [${owner}]`
          : suggestion !== undefined
            ? `; did you mean "${suggestion}"?`
            : `; known keys: ${schema.keys.join(', ')}`;
      problems.push(
        new UnknownConfigKeyError(
          where,
          `unknown key "${entry.key}" in [${section.name}]${hint}`,
          suggestion,
        ),
      );
    }
  }
}

/** Checks that need several sections at once. */
function checkCrossSection(reader: ConfigReader, settings: NodeSettings): void {
  const listening = settings.node.tubPort.kind !== 'disabled';
  const needsListener: string[] = [];
  if (settings.nodeType === 'introducer') needsListener.push('an introducer');
  if (settings.storage?.enabled) needsListener.push('[storage] enabled = true');
  if (settings.helper?.enabled) needsListener.push('[helper] enabled = true');
  if (!listening && needsListener.length > 0 && !reader.hasProblem('node', 'tub.port')) {
    reader.report(
      new ConflictingConfigError(
        reader.where('node', 'tub.port'),
        `is "disabled", but ${needsListener.join(' and ')} must accept connections; configure a listener ` +
          '(or set [storage] enabled = false / [helper] enabled = false)',
      ),
    );
  }
  if (settings.connections.tcp === 'tor' && !settings.tor.enabled) {
    const how =
      settings.connections.tcpSource === 'anonymity'
        ? 'reveal-IP-address = false sends'
        : '[connections] tcp = tor sends';
    reader.report(
      new ConflictingConfigError(
        reader.where('tor', 'enabled'),
        `is false, but ${how} every tcp: connection through Tor; enable Tor or set [connections] tcp = disabled`,
      ),
    );
  }
}

/**
 * Parses the text of `tahoe.cfg` into settings, without touching the file system (introducers from
 * `private/introducers.yaml` are added by {@link checkNodeConfig}).
 */
export function parseNodeConfig(text: string, options: ParseNodeConfigOptions): ConfigCheckResult {
  const baseDir = resolve(options.baseDir);
  const parsers = options.parsers ?? defaultDescriptorParsers();
  const { document, problems: syntax } = parseIni(text, options.file);
  const reader = new ConfigReader(document, baseDir);
  reader.problems.push(...syntax);
  validateNames(document, options.nodeType, reader.problems);

  const node = readNodeSection(reader, parsers, options.nodeType);
  const anonymous = !node.revealIpAddress;
  const connections = readConnectionsSection(reader, anonymous);
  const isClient = options.nodeType === 'client';
  const sftpd = isClient ? readSftpdSection(reader, parsers) : undefined;
  const section = (prefix: string) =>
    Object.fromEntries(
      [...document.sections.keys()]
        .filter((name) => name.startsWith(prefix) && name.length > prefix.length)
        .map((name) => [name.slice(prefix.length), reader.all(name)]),
    );
  const settings: NodeSettings = {
    nodeType: options.nodeType,
    anonymous,
    paths: { ...nodePaths(baseDir, options.nodeType), configFile: resolve(baseDir, 'tahoe.cfg') },
    node,
    connections,
    tor: readTorSection(reader),
    i2p: readI2pSection(reader),
    client: isClient ? readClientSection(reader) : undefined,
    storage: isClient ? readStorageSection(reader) : undefined,
    helper: isClient ? readHelperSection(reader) : undefined,
    sftpd,
    storageServerPlugins: isClient ? section('storageserver.plugins.') : {},
    storageClientPlugins: isClient ? section('storageclient.plugins.') : {},
    gridManagers: isClient ? reader.all('grid_managers') : {},
    gridManagerCertificates: isClient
      ? Object.fromEntries(
          Object.keys(reader.all('grid_manager_certificates')).map((k) => [
            k,
            reader.path('grid_manager_certificates', k, ''),
          ]),
        )
      : {},
    introducers: [],
  };
  checkCrossSection(reader, settings);
  if (anonymous) checkAnonymity(reader, node, connections, sftpd);

  const warnings: string[] = [];
  if (reader.entry('node', 'anonymize') !== undefined) {
    warnings.push(`${options.file} [node] anonymize is the older spelling of "reveal-IP-address = false"`);
  }
  if (settings.client?.introducerFurl !== undefined) {
    warnings.push(
      `${options.file} [client] introducer.furl is deprecated; list introducers in private/introducers.yaml`,
    );
  }
  const problems = reader.problems;
  return { settings: problems.length === 0 ? settings : undefined, problems, warnings };
}

/** Options of {@link checkNodeConfig} and {@link loadNodeConfig}. */
export interface LoadNodeConfigOptions extends AbortOptions {
  /** Overrides the node type found from `tahoe-client.tac` / `tahoe-introducer.tac`. */
  nodeType?: NodeType;
  parsers?: DescriptorParsers;
  /** Check that `private/` is not accessible to other users (default true). */
  checkPermissions?: boolean;
}

/** Loads and checks a node directory, returning every problem instead of throwing. */
export async function checkNodeConfig(
  nodeDir: string,
  options: LoadNodeConfigOptions = {},
): Promise<ConfigCheckResult> {
  throwIfAborted(options.signal, 'loading the node configuration');
  const baseDir = resolve(nodeDir);
  const configFile = resolve(baseDir, 'tahoe.cfg');
  const problems: ConfigProblem[] = [];
  const nodeType = options.nodeType ?? (await detectNodeType(baseDir));
  if (nodeType === undefined) {
    problems.push(
      new ConfigFileError(
        { file: baseDir, section: '', key: '' },
        'is not a node directory (it has neither tahoe-client.tac nor tahoe-introducer.tac); create one with ' +
          '"lafs create-node", "create-client" or "create-introducer"',
      ),
    );
    return { settings: undefined, problems, warnings: [] };
  }
  await checkOldConfigFiles(baseDir, problems);
  // Tahoe treats a missing tahoe.cfg as an empty one.
  const text = (await readSmallTextFile(configFile, problems)) ?? '';
  throwIfAborted(options.signal, 'loading the node configuration');
  const parsed = parseNodeConfig(text, {
    file: configFile,
    baseDir,
    nodeType,
    ...(options.parsers === undefined ? {} : { parsers: options.parsers }),
  });
  problems.push(...parsed.problems);
  const paths = nodePaths(baseDir, nodeType);
  if (options.checkPermissions !== false) await checkPrivateDir(paths.privateDir, problems);
  const introducers = nodeType === 'client' ? await readIntroducers(paths, problems) : [];
  const legacy = parsed.settings?.client?.introducerFurl;
  if (legacy !== undefined) {
    if (introducers.some((i) => i.petname === 'default')) {
      problems.push(
        new ConflictingConfigError(
          { file: configFile, section: 'client', key: 'introducer.furl', value: legacy },
          `and ${paths.introducersFile} both define the "default" introducer; keep only the YAML entry`,
        ),
      );
    } else {
      introducers.push({
        petname: 'default',
        furl: legacy,
        cacheFile: resolve(paths.privateDir, 'introducer_default_cache.yaml'),
      });
    }
  }
  throwIfAborted(options.signal, 'loading the node configuration');
  const settings = problems.length === 0 && parsed.settings ? { ...parsed.settings, introducers } : undefined;
  return { settings, problems, warnings: parsed.warnings };
}

/**
 * Loads a node directory into typed settings.
 *
 * @throws {ConfigErrors} listing every problem (privacy refusals included) when anything is wrong.
 */
export async function loadNodeConfig(
  nodeDir: string,
  options: LoadNodeConfigOptions = {},
): Promise<NodeSettings> {
  const result = await checkNodeConfig(nodeDir, options);
  if (result.settings === undefined) throw new ConfigErrors(result.problems);
  return result.settings;
}
