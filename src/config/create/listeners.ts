/**
 * Listener plugins for node creation (Tahoe-LAFS `create-node --listen=KIND[,KIND...]`,
 * `allmydata/listeners.py`): each kind contributes `tub.port` descriptors, `tub.location` hints, extra
 * `tahoe.cfg` sections and private files. `tcp` and `none` are built in; Tor and I2P plug in the same way,
 * bringing their own command-line options.
 *
 * @module
 */
import { createServer } from 'node:net';
import type { AbortOptions } from '../../util/abort.js';
import { raceAbort } from '../../util/abort.js';
import type { CreateNodeOptions } from './options.js';

/** What one listener contributes to the new node directory. */
export interface ListenerConfig {
  /** Descriptors appended to `[node] tub.port`. */
  tubPorts: string[];
  /** Hints appended to `[node] tub.location`. */
  tubLocations: string[];
  /** Extra `tahoe.cfg` sections, each a list of `[key, value]` in order (e.g. `tor: [['onion', 'true'], ...]`). */
  sections: Record<string, [string, string][]>;
  /** Files to write under `private/` with mode 0600 (e.g. an onion service key), by file name. */
  privateFiles: Record<string, string | Uint8Array>;
}

/** Help for one plugin-specific command-line option (`--tor-control-port`...). */
export interface ListenerCliOption {
  type: 'string' | 'boolean';
  describe: string;
}

/** A kind of listener `create-node --listen=` accepts. */
export interface ListenerPlugin {
  /** The `--listen=` word (`tcp`, `tor`, `i2p`, `none`). */
  readonly name: string;
  /** Whether this listener keeps the node's IP address private (usable with `--hide-ip`). */
  readonly hidesIp: boolean;
  /** Options this plugin adds to `create-node`/`create-introducer`, by long name without `--`. */
  readonly cliOptions: Readonly<Record<string, ListenerCliOption>>;
  /** Problems with `options` for this listener (e.g. `--listen=tcp requires --hostname`), as messages. */
  validate(options: CreateNodeOptions): string[];
  /** Builds the configuration; `undefined` means "do not listen at all" (`none`). */
  createConfig(options: CreateNodeOptions, abort: AbortOptions): Promise<ListenerConfig | undefined>;
}

/** The listener plugins available to node creation, by name. */
export class ListenerRegistry {
  readonly #plugins = new Map<string, ListenerPlugin>();

  constructor(plugins: Iterable<ListenerPlugin> = []) {
    for (const plugin of plugins) this.register(plugin);
  }

  /** Adds a plugin; throws a TypeError if the name is taken. */
  register(plugin: ListenerPlugin): this {
    if (this.#plugins.has(plugin.name))
      throw new TypeError(`a listener named "${plugin.name}" is already registered`);
    this.#plugins.set(plugin.name, plugin);
    return this;
  }

  get(name: string): ListenerPlugin | undefined {
    return this.#plugins.get(name);
  }

  /** Every registered name, sorted. */
  names(): string[] {
    return [...this.#plugins.keys()].sort();
  }

  /** Every plugin, in registration order. */
  all(): ListenerPlugin[] {
    return [...this.#plugins.values()];
  }
}

/**
 * Asks the kernel for a currently free TCP port (Tahoe's `iputil.allocate_tcp_port`). The probe binds
 * 127.0.0.1 only and sends no traffic.
 */
export async function allocateTcpPort(abort: AbortOptions = {}): Promise<number> {
  const server = createServer();
  const listening = new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
  try {
    return await raceAbort(listening, abort.signal, 'allocating a TCP port');
  } finally {
    if (server.listening) server.close();
  }
}

/**
 * `--listen=tcp`: a TCP listener on every interface. With `--port`/`--location` those are used as given;
 * otherwise a free port is allocated and `tcp:HOSTNAME:PORT` published.
 */
export const tcpListener: ListenerPlugin = {
  name: 'tcp',
  hidesIp: false,
  cliOptions: {},
  validate(options) {
    if (options.port !== undefined) return [];
    if (options.hostname === undefined)
      return ['--listen=tcp requires --hostname=HOSTNAME (or --port with --location)'];
    return [];
  },
  async createConfig(options, abort) {
    if (options.port !== undefined && options.location !== undefined) {
      return { tubPorts: [options.port], tubLocations: [options.location], sections: {}, privateFiles: {} };
    }
    const port = await (options.allocatePort ?? allocateTcpPort)(abort);
    return {
      tubPorts: [`tcp:${port}`],
      tubLocations: [`tcp:${options.hostname ?? ''}:${port}`],
      sections: {},
      privateFiles: {},
    };
  },
};

/** `--listen=none`: no listener; `tub.port` and `tub.location` become `disabled`. */
export const noneListener: ListenerPlugin = {
  name: 'none',
  hidesIp: false,
  cliOptions: {},
  validate: () => [],
  createConfig: async () => undefined,
};

/** The plugins lafs ships with (`tcp`, `none`); Tor and I2P register theirs alongside. */
export const builtinListenerPlugins: readonly ListenerPlugin[] = [tcpListener, noneListener];
