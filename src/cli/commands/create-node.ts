/**
 * `lafs create-node`, `lafs create-client` and `lafs create-introducer`: make a new node directory with the
 * options of Tahoe-LAFS's commands of the same names (`allmydata/scripts/create_node.py`). The work is done
 * by `config/create`; this file maps arguments to its options.
 *
 * @module
 */
import type { Argv, CommandModule } from 'yargs';
import {
  type CreateNodeKind,
  type CreateNodeOptions,
  createNodeDirectory,
  DEFAULT_WEBPORT,
  ListenerRegistry,
} from '../../config/create/index.js';
import { DEFAULT_NODE_DIR } from '../node-dir-args.js';
import { listenerPlugins } from './create-node-listeners.js';

interface CreateArgs {
  nodedir?: string;
  basedir?: string;
  nickname?: string;
  introducer?: string;
  webport?: string;
  'shares-needed'?: number;
  'shares-happy'?: number;
  'shares-total'?: number;
  'hide-ip'?: boolean;
  listen?: string;
  hostname?: string;
  location?: string;
  port?: string;
  storage?: boolean;
  helper?: boolean;
  'storage-dir'?: string;
  [option: string]: unknown;
}

function clientOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('nickname', { alias: 'n', type: 'string', describe: "This node's nickname" })
    .option('introducer', {
      alias: 'i',
      type: 'string',
      describe: 'Introducer FURL (written to private/introducers.yaml)',
    })
    .option('webport', {
      alias: 'p',
      type: 'string',
      default: DEFAULT_WEBPORT,
      describe: "Where the web API listens ('none' to disable)",
    })
    .option('shares-needed', { type: 'number', default: 3, describe: 'Shares needed to read a file (k)' })
    .option('shares-happy', { type: 'number', default: 7, describe: 'Servers an upload must reach' })
    .option('shares-total', { type: 'number', default: 10, describe: 'Shares made of each file (N)' });
}

function commonOptions<T>(y: Argv<T>, defaultDir: boolean): Argv<T> {
  return y
    .positional('nodedir', {
      type: 'string',
      describe: defaultDir
        ? `The node directory to create [default: ${DEFAULT_NODE_DIR}]`
        : 'The node directory to create',
    })
    .option('basedir', { alias: 'C', type: 'string', describe: 'The node directory (instead of NODEDIR)' })
    .option('hide-ip', {
      type: 'boolean',
      default: false,
      describe: "Refuse any setting that would reveal this node's IP address",
    });
}

function whereOptions<T>(y: Argv<T>): Argv<T> {
  let out = y
    .option('listen', {
      type: 'string',
      default: 'tcp',
      describe: `Comma-separated listener kinds (${listenerPlugins.map((p) => p.name).join(', ')})`,
    })
    .option('hostname', { type: 'string', describe: 'With --listen=tcp: the host name to publish' })
    .option('location', { type: 'string', describe: 'The exact tub.location to publish (with --port)' })
    .option('port', { type: 'string', describe: 'The exact tub.port to listen on (with --location)' });
  for (const plugin of listenerPlugins) {
    for (const [name, spec] of Object.entries(plugin.cliOptions))
      out = out.option(name, { type: spec.type, describe: spec.describe });
  }
  return out;
}

function toOptions(kind: CreateNodeKind, args: CreateArgs): CreateNodeOptions {
  const nodeDir = args.basedir ?? args.nodedir ?? DEFAULT_NODE_DIR;
  const listenerOptions: Record<string, unknown> = {};
  for (const plugin of listenerPlugins) {
    for (const name of Object.keys(plugin.cliOptions))
      if (args[name] !== undefined) listenerOptions[name] = args[name];
  }
  const isClient = kind !== 'introducer';
  return {
    kind,
    nodeDir,
    nickname: args.nickname,
    introducer: isClient ? args.introducer : undefined,
    webport: isClient ? args.webport : undefined,
    sharesNeeded: isClient ? args['shares-needed'] : undefined,
    sharesHappy: isClient ? args['shares-happy'] : undefined,
    sharesTotal: isClient ? args['shares-total'] : undefined,
    hideIp: args['hide-ip'] === true,
    listen: kind === 'client' ? undefined : (args.listen ?? 'tcp').split(',').map((s) => s.trim()),
    hostname: args.hostname,
    location: args.location,
    port: args.port,
    noStorage: kind === 'node' ? args.storage === false : undefined,
    helper: kind === 'node' ? args.helper === true : undefined,
    storageDir: kind === 'node' ? args['storage-dir'] : undefined,
    listenerOptions,
  };
}

async function run(kind: CreateNodeKind, args: CreateArgs): Promise<void> {
  const created = await createNodeDirectory(toOptions(kind, args), {
    listeners: new ListenerRegistry(listenerPlugins),
  });
  const what = kind === 'introducer' ? 'Introducer' : 'Node';
  process.stdout.write(`${what} created in ${created.nodeDir}\n`);
  for (const note of created.notes) process.stdout.write(`  ${note}\n`);
}

/** `lafs create-node [NODEDIR]`: a client and storage server. */
export const createNodeCommand: CommandModule<object, CreateArgs> = {
  command: 'create-node [nodedir]',
  describe: 'Create a node that is a client, a storage server, or both',
  builder: (y) =>
    whereOptions(clientOptions(commonOptions(y, true)))
      .option('storage', {
        type: 'boolean',
        default: true,
        describe: 'Offer storage to other nodes (--no-storage: do not)',
      })
      .option('helper', { type: 'boolean', default: false, describe: 'Run an upload helper' })
      .option('storage-dir', {
        type: 'string',
        describe: 'Where to keep shares [default: NODEDIR/storage]',
      }) as Argv<CreateArgs>,
  handler: (args) => run('node', args),
};

/** `lafs create-client [NODEDIR]`: a client that neither listens nor stores. */
export const createClientCommand: CommandModule<object, CreateArgs> = {
  command: 'create-client [nodedir]',
  describe: 'Create a client-only node (no storage server, no listener)',
  builder: (y) => clientOptions(commonOptions(y, true)) as Argv<CreateArgs>,
  handler: (args) => run('client', args),
};

/** `lafs create-introducer NODEDIR`: an introducer (as in Tahoe, the directory must be named: no default). */
export const createIntroducerCommand: CommandModule<object, CreateArgs> = {
  command: 'create-introducer <nodedir>',
  describe: 'Create an introducer node',
  builder: (y) =>
    whereOptions(commonOptions(y, false))
      .option('nickname', { alias: 'n', type: 'string', describe: "This node's nickname" })
      .option('basedir', { hidden: true }) as Argv<CreateArgs>,
  handler: (args) => run('introducer', args),
};
