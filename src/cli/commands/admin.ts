/**
 * `lafs admin storage-announcement [NODEDIR]`: prints the storage server's announcement as an entry for clients'
 * static `private/servers.yaml` (Tahoe-LAFS `docs/configuration.rst`, "Static Server Definitions"):
 *
 * ```yaml
 * storage:
 *   v0-<node public key>:
 *     ann: { nickname, anonymous-storage-FURL, anonymous-storage-NURLs, permutation-seed-base32, ... }
 * ```
 *
 * The server id is the node key's `v0-...` string (what the introducer announces). The NURLs are the ones
 * `lafs run` announces: both come from `storage/server/identity.ts`. No server is started and no socket opened.
 * A node that has never run has no storage identity yet: this command creates it in `private/` exactly as the
 * first `lafs run` would (so the printed NURLs stay valid), saying so on stderr; `--no-create` refuses instead.
 * Exit codes: 0, 1 (the node cannot be announced), 2 (usage).
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { CommandModule } from 'yargs';
import { loadNodeConfig } from '../../config/load.js';
import type { NodeSettings } from '../../config/types.js';
import { isValidPort, portFromText } from '../../endpoints/host.js';
import { LafsError } from '../../errors.js';
import { loadOrCreateNodeKey, NODE_PRIVKEY_FILE } from '../../node/introducer/node-key.js';
import { CERT_FILE, KEY_FILE } from '../../storage/http/certificate.js';
import type { StorageAnnouncement } from '../../storage/server/announcement.js';
import { announcementFor, loadStorageIdentity, SWISSNUM_FILE } from '../../storage/server/identity.js';
import { StorageIdentityMissingError } from '../../storage/server/identity-errors.js';
import { type NodeDirArgs, nodeDirOf, withNodeDirArgs } from '../node-dir-args.js';
import { lafsVersion } from '../version.js';

/** The node does not run a storage server, so there is nothing to announce. */
export class NoStorageServerError extends LafsError {
  constructor(nodeDir: string, reason: string) {
    super('ERR_NO_STORAGE_SERVER', 'config', `${nodeDir} runs no storage server: ${reason}`);
  }
}

/** A `servers.yaml` document with one server, as Tahoe clients read it. */
export interface ServersYamlDocument {
  storage: Record<string, { ann: StorageAnnouncement }>;
}

/** What {@link storageAnnouncementOf} found. */
export interface StorageAnnouncementResult {
  serverId: string;
  announcement: StorageAnnouncement;
  /** Identity files this call created (empty when the node had run before). */
  created: string[];
}

/**
 * The TCP port the storage server will listen on, when known without running it: the first `tcp:` descriptor
 * of `tub.port` with a fixed port, else the port the node remembered in `client.port` on its first run.
 */
export async function knownListenPort(settings: NodeSettings): Promise<number | undefined> {
  const tubPort = settings.node.tubPort;
  if (tubPort.kind === 'listen') {
    for (const d of tubPort.descriptors) {
      const port = (d as { port?: unknown }).port;
      if (d.scheme === 'tcp' && isValidPort(port)) return port;
    }
    return undefined;
  }
  if (tubPort.kind !== 'unset') return undefined;
  let text: string;
  try {
    text = await readFile(tubPort.portFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const match = /^\s*tcp:(?:port=)?(\d{1,5})(?::|\s*$)/.exec(text);
  return match?.[1] === undefined ? undefined : portFromText(match[1]);
}

async function missingFiles(privateDir: string, names: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const name of names) {
    try {
      await stat(join(privateDir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(name);
    }
  }
  return missing;
}

/**
 * Loads `nodeDir` and returns its storage announcement and server id, creating the identity (TLS key and
 * certificate, swissnum, node key) when missing unless `create` is false.
 */
export async function storageAnnouncementOf(
  nodeDir: string,
  options: { create?: boolean } = {},
): Promise<StorageAnnouncementResult> {
  const settings = await loadNodeConfig(nodeDir);
  if (settings.nodeType !== 'client') throw new NoStorageServerError(nodeDir, 'it is an introducer');
  if (settings.storage?.enabled !== true)
    throw new NoStorageServerError(nodeDir, '[storage] enabled = false in tahoe.cfg');
  if (!settings.storage.anonymous)
    throw new NoStorageServerError(
      nodeDir,
      '[storage] anonymous = false (lafs serves anonymous storage only)',
    );
  const privateDir = settings.paths.privateDir;
  const missing = await missingFiles(privateDir, [KEY_FILE, CERT_FILE, SWISSNUM_FILE, NODE_PRIVKEY_FILE]);
  if (options.create === false && missing.length > 0)
    throw new StorageIdentityMissingError(privateDir, missing);
  const listenPort = await knownListenPort(settings);
  const identity = await loadStorageIdentity(privateDir);
  const nodeKey = await loadOrCreateNodeKey(privateDir);
  const announcement = announcementFor(settings, identity, {
    version: `lafs/${lafsVersion()}`,
    ...(listenPort === undefined ? {} : { listenPort }),
  });
  return {
    serverId: nodeKey.keyString,
    announcement,
    created: missing.map((name) => join(privateDir, name)),
  };
}

interface Args extends NodeDirArgs {
  json: boolean;
  create: boolean;
}

/** `lafs admin storage-announcement [NODEDIR]`. */
export const storageAnnouncementCommand: CommandModule<object, Args> = {
  command: 'storage-announcement [nodedir]',
  describe: "Print this node's storage announcement as an entry for clients' private/servers.yaml",
  builder: (y) =>
    withNodeDirArgs(y)
      .option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of YAML' })
      .option('create', {
        type: 'boolean',
        default: true,
        describe: 'Create the storage identity in private/ if the node has never run (--no-create: refuse)',
      }) as never,
  handler: async (args) => {
    const nodeDir = nodeDirOf(args);
    const result = await storageAnnouncementOf(nodeDir, { create: args.create });
    for (const file of result.created) process.stderr.write(`lafs: created ${file}\n`);
    const doc: ServersYamlDocument = { storage: { [result.serverId]: { ann: result.announcement } } };
    if (args.json) {
      process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
      return;
    }
    const header =
      `# Storage server "${result.announcement.nickname}" (${nodeDir}).\n` +
      "# Merge this under clients' NODEDIR/private/servers.yaml; the NURLs carry a secret: share them with care.\n";
    process.stdout.write(header + stringify(doc, { lineWidth: 0 }));
  },
};

/** `lafs admin <subcommand>`: operator tools for a node directory. */
export const adminCommand: CommandModule = {
  command: 'admin',
  describe: "Operator tools for a node directory (e.g. print the storage server's announcement)",
  builder: (y) =>
    y.command(storageAnnouncementCommand).demandCommand(1, 'Name an admin subcommand (lafs admin --help).'),
  handler: () => {},
};
