/**
 * `lafs create-node --listen=i2p`: allocates the node's I2P destination and writes what Tahoe-LAFS's
 * `i2p_provider.create_config` writes (`docs/configuration.rst`, "[i2p]"): `tub.port = listen:i2p`,
 * `tub.location = i2p:<b32>.b32.i2p:3457`, `[i2p] sam.port` (or `launch = true` with `i2p.executable` and
 * `i2p.configdir`), `dest = true`, `dest.port = 3457`, `dest.private_key_file = private/i2p_dest.privkey`, and
 * the key itself in that file (mode 0600).
 *
 * The destination is made with SAM `DEST GENERATE SIGNATURE_TYPE=7` (Ed25519) against the router at
 * `--i2p-sam-port` (default `tcp:127.0.0.1:7656`). With `--i2p-launch` (which Tahoe never implemented) a
 * temporary i2pd is started for that one command, offline (isolated mode, in a temporary directory removed
 * afterwards): generating a key needs no network, so node creation never contacts the I2P network.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseClientEndpoint } from '../config/client-endpoint.js';
import type { ListenerConfig, ListenerPlugin } from '../config/create/listeners.js';
import type { CreateNodeOptions } from '../config/create/options.js';
import type { AbortOptions } from '../util/abort.js';
import { b32AddressOf } from './destination.js';
import { I2pConfigError } from './errors.js';
import { launchI2pd } from './i2pd-launcher.js';
import { checkSamBridge, samBridgeFromEndpoint } from './node-i2p.js';
import { type GeneratedDestination, SamClient } from './sam-client.js';

/** The virtual port published in `tub.location` (Tahoe uses 3457; SAM 3.1 routers ignore it). */
export const I2P_DEST_PORT = 3457;
/** The key file's name in `private/`, as Tahoe writes it. */
export const I2P_DEST_KEY_FILE = 'i2p_dest.privkey';
/** Tahoe's default SAM port descriptor. */
export const DEFAULT_SAM_PORT_DESCRIPTOR = 'tcp:127.0.0.1:7656';

/** The plugin's own options, as read from `CreateNodeOptions.listenerOptions`. */
interface I2pCliOptions {
  samPort: string | undefined;
  launch: boolean;
  executable: string | undefined;
  configDir: string | undefined;
}

function cliOptions(options: CreateNodeOptions): I2pCliOptions {
  const raw = options.listenerOptions ?? {};
  const text = (name: string): string | undefined => {
    const value = raw[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  return {
    samPort: text('i2p-sam-port'),
    launch: raw['i2p-launch'] === true,
    executable: text('i2p-executable'),
    configDir: text('i2p-configdir'),
  };
}

function samPortProblem(descriptor: string): string | undefined {
  try {
    samBridgeFromEndpoint(parseClientEndpoint(descriptor));
    return undefined;
  } catch (error) {
    return `--i2p-sam-port=${descriptor}: ${(error as Error).message}`;
  }
}

/** DEST GENERATE on a temporary, offline i2pd that is stopped (and its directory removed) afterwards. */
async function generateWithLaunchedRouter(
  executable: string,
  abort: AbortOptions,
): Promise<GeneratedDestination> {
  const dataDir = await mkdtemp(join(tmpdir(), 'lafs-create-i2pd-'));
  try {
    const router = await launchI2pd({ executable, dataDir, mode: 'isolated', signal: abort.signal });
    try {
      const client = new SamClient({ host: router.samHost, port: router.samPort });
      return await client.generateDestination({ signal: abort.signal });
    } finally {
      await router.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** `--listen=i2p`; see the module comment. */
export const i2pListener: ListenerPlugin = {
  name: 'i2p',
  hidesIp: true,
  cliOptions: {
    'i2p-sam-port': {
      type: 'string',
      describe: `With --listen=i2p: the I2P router's SAM port (default ${DEFAULT_SAM_PORT_DESCRIPTOR})`,
    },
    'i2p-launch': {
      type: 'boolean',
      describe: 'With --listen=i2p: the node launches its own i2pd ([i2p] launch = true)',
    },
    'i2p-executable': {
      type: 'string',
      describe: 'With --i2p-launch: the i2pd executable (default: i2pd from PATH)',
    },
    'i2p-configdir': {
      type: 'string',
      describe: 'With --i2p-launch: the launched i2pd data directory (default NODEDIR/private/i2p)',
    },
  },
  validate(options) {
    const cli = cliOptions(options);
    const problems: string[] = [];
    if (cli.launch && cli.samPort !== undefined)
      problems.push('use either --i2p-launch or --i2p-sam-port, not both');
    if (!cli.launch && (cli.executable !== undefined || cli.configDir !== undefined))
      problems.push('--i2p-executable and --i2p-configdir need --i2p-launch');
    if (cli.samPort !== undefined) {
      const problem = samPortProblem(cli.samPort);
      if (problem !== undefined) problems.push(problem);
    }
    for (const [name, value] of [
      ['--i2p-executable', cli.executable],
      ['--i2p-configdir', cli.configDir],
    ] as const) {
      if (value !== undefined && /[\r\n]/.test(value)) problems.push(`${name} must be one line`);
    }
    return problems;
  },
  async createConfig(options, abort): Promise<ListenerConfig> {
    const cli = cliOptions(options);
    const section: [string, string][] = [];
    let generated: GeneratedDestination;
    if (cli.launch) {
      generated = await generateWithLaunchedRouter(cli.executable ?? 'i2pd', abort);
      section.push(['launch', 'true']);
      if (cli.executable !== undefined) section.push(['i2p.executable', cli.executable]);
      if (cli.configDir !== undefined) section.push(['i2p.configdir', resolve(cli.configDir)]);
    } else {
      const descriptor = cli.samPort ?? DEFAULT_SAM_PORT_DESCRIPTOR;
      const problem = samPortProblem(descriptor);
      if (problem !== undefined) throw new I2pConfigError('--i2p-sam-port', problem);
      const client = new SamClient(samBridgeFromEndpoint(parseClientEndpoint(descriptor)));
      await checkSamBridge(
        client,
        'start i2pd (or another I2P router) with SAM enabled, give --i2p-sam-port, or use --i2p-launch',
        abort,
      );
      generated = await client.generateDestination({ signal: abort.signal });
      section.push(['sam.port', descriptor]);
    }
    section.push(
      ['dest', 'true'],
      ['dest.port', String(I2P_DEST_PORT)],
      ['dest.private_key_file', join('private', I2P_DEST_KEY_FILE)],
    );
    return {
      tubPorts: ['listen:i2p'],
      tubLocations: [`i2p:${b32AddressOf(generated.destination)}:${I2P_DEST_PORT}`],
      sections: { i2p: section },
      privateFiles: { [I2P_DEST_KEY_FILE]: `${generated.privateKey}\n` },
    };
  },
};
