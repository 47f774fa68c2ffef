/**
 * `lafs create-node --listen=tor`: the node's storage service as a v3 onion service, configured as Tahoe-LAFS's
 * `allmydata/util/tor_provider.py` `create_config` does, so the node directory is interchangeable with Tahoe's:
 *
 *     [node]  tub.port = tcp:<LOCALPORT>:interface=127.0.0.1
 *             tub.location = tor:<56 chars>.onion:3457
 *     [tor]   launch = true  (or control.port = DESC; tor.executable = PATH with --tor-executable)
 *             onion = true
 *             onion.local_port = <LOCALPORT>
 *             onion.external_port = 3457
 *             onion.private_key_file = private/tor_onion.privkey   (mode 0600, `ED25519-V3:<base64>`)
 *
 * Unlike Tahoe, the key is minted locally ({@link mintOnionKey}), so creation takes milliseconds and needs no
 * tor: `lafs run` adds the service with ADD_ONION at every start. Only when neither `--tor-launch` nor
 * `--tor-control-port` is given is a running tor looked for (Tahoe's defaults: Debian's control socket, 9051,
 * 9151), to learn which control port to write.
 *
 * @module
 */
import { parseClientEndpoint } from '../config/client-endpoint.js';
import { allocateTcpPort, type ListenerPlugin } from '../config/create/listeners.js';
import type { CreateNodeOptions } from '../config/create/options.js';
import { mintOnionKey } from './onion-keygen.js';
import { connectSystemTor } from './system-tor.js';

/** The onion virtual port Tahoe-LAFS publishes (`tor_provider.py`: "pick this randomly? there's no contention"). */
export const DEFAULT_ONION_EXTERNAL_PORT = 3457;
/** The key file's name under `private/`, as Tahoe-LAFS names it. */
export const ONION_PRIVATE_KEY_FILE = 'tor_onion.privkey';
/** How long each default control port may take to answer when probing (they are all local). */
const PROBE_TIMEOUT_MS = 5000;

function option(options: CreateNodeOptions, name: string): unknown {
  return options.listenerOptions?.[name];
}

function stringOption(options: CreateNodeOptions, name: string): string | undefined {
  const value = option(options, name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `--listen=tor` with `--tor-launch`, `--tor-control-port=DESC` and `--tor-executable=PATH`. */
export const torListener: ListenerPlugin = {
  name: 'tor',
  hidesIp: true,
  cliOptions: {
    'tor-launch': {
      type: 'boolean',
      describe: 'With --listen=tor: have the node launch its own tor (writes [tor] launch = true)',
    },
    'tor-control-port': {
      type: 'string',
      describe:
        "With --listen=tor: a running tor's control port (e.g. tcp:127.0.0.1:9051 or unix:/var/run/tor/control)",
    },
    'tor-executable': {
      type: 'string',
      describe: 'With --tor-launch: the tor program to run [default: tor on $PATH]',
    },
  },
  validate(options) {
    const problems: string[] = [];
    const launch = option(options, 'tor-launch') === true;
    const controlPort = option(options, 'tor-control-port');
    const executable = option(options, 'tor-executable');
    if (launch && controlPort !== undefined)
      problems.push('use either --tor-launch or --tor-control-port=, not both');
    if (controlPort !== undefined) {
      try {
        if (typeof controlPort !== 'string') throw new RangeError('expected a string');
        parseClientEndpoint(controlPort);
      } catch (error) {
        problems.push(`--tor-control-port: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (executable !== undefined && !launch) problems.push('--tor-executable is only used with --tor-launch');
    if (executable !== undefined && (typeof executable !== 'string' || /[\r\n]/.test(executable)))
      problems.push('--tor-executable must be one line');
    return problems;
  },
  async createConfig(options, abort) {
    const tor: [string, string][] = [];
    if (option(options, 'tor-launch') === true) {
      tor.push(['launch', 'true']);
      const executable = stringOption(options, 'tor-executable');
      if (executable !== undefined) tor.push(['tor.executable', executable]);
    } else {
      let controlPort = stringOption(options, 'tor-control-port');
      if (controlPort === undefined) {
        // Tahoe's behaviour: find a running tor and record where it was (throws, listing what was tried).
        const found = await connectSystemTor({ ...abort, perAttemptTimeoutMs: PROBE_TIMEOUT_MS });
        await found.control.close();
        controlPort = found.descriptor;
      }
      tor.push(['control.port', controlPort]);
    }
    const localPort = await (options.allocatePort ?? allocateTcpPort)(abort);
    const { privateKey, serviceId } = mintOnionKey();
    tor.push(
      ['onion', 'true'],
      ['onion.local_port', String(localPort)],
      ['onion.external_port', String(DEFAULT_ONION_EXTERNAL_PORT)],
      ['onion.private_key_file', `private/${ONION_PRIVATE_KEY_FILE}`],
    );
    return {
      tubPorts: [`tcp:${localPort}:interface=127.0.0.1`],
      tubLocations: [`tor:${serviceId}.onion:${DEFAULT_ONION_EXTERNAL_PORT}`],
      sections: { tor },
      privateFiles: { [ONION_PRIVATE_KEY_FILE]: `${privateKey.text}\n` },
    };
  },
};
