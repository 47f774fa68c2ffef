/**
 * The node's outbound transports: direct TCP, Tor and I2P as `[connections]`, `[tor]` and `[i2p]` configure
 * them, behind one {@link ConnectionManager} that enforces `reveal-IP-address = false`. Tor and I2P start on
 * first use (or at once when the node publishes an onion service or I2P destination), through providers the
 * node passes in, so this file knows nothing of how tor or i2pd are run.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { NodeSettings } from '../../config/types.js';
import { ConnectionManager } from '../../endpoints/connection-manager.js';
import type { Connector } from '../../endpoints/connector.js';
import { createTcpConnector } from '../../endpoints/tcp-connector.js';
import type { ConnectionHint } from '../../endpoints/types.js';
import type { AbortOptions } from '../../util/abort.js';
import { lazyConnector } from './lazy-connector.js';

/** A started transport (Tor or I2P) as the node uses it. */
export interface TransportProvider {
  readonly connector: Connector;
  close(): Promise<void>;
}

/** How to start the Tor and I2P transports, each called at most once at a time. */
export interface TransportStarters {
  tor?(abort: AbortOptions): Promise<TransportProvider>;
  i2p?(abort: AbortOptions): Promise<TransportProvider>;
}

/** The node's transports. */
export interface NodeTransports {
  readonly manager: ConnectionManager;
  /** Opens a stream to `host:port` for the HTTPS clients (storage servers, introducers); `key` isolates circuits. */
  dialHost(host: string, port: number, abort: AbortOptions & { isolationKey?: string }): Promise<Duplex>;
  /** Which transport reaches `host` ("tcp", "tor", "i2p"). */
  transportOf(host: string): string;
  /** Starts Tor now (for an onion service) and returns it. */
  tor(abort?: AbortOptions): Promise<TransportProvider>;
  /** Starts I2P now (for a destination) and returns it. */
  i2p(abort?: AbortOptions): Promise<TransportProvider>;
  /** Stops every started transport. */
  close(): Promise<void>;
}

/** The hint a NURL's or introducer URL's host names: `.onion` -> `tor:`, `.i2p` -> `i2p:`, else `tcp:`. */
export function hintForHost(host: string, port: number): ConnectionHint {
  if (/\.onion$/i.test(host)) return { scheme: 'tor', host: host.toLowerCase(), port };
  if (/\.i2p$/i.test(host)) return { scheme: 'i2p', address: host.toLowerCase(), port };
  return { scheme: 'tcp', host, port };
}

/** Memoizes a starter: one start at a time, a failure forgotten so the next call tries again. */
function once(
  name: string,
  start: ((abort: AbortOptions) => Promise<TransportProvider>) | undefined,
): { get(abort: AbortOptions): Promise<TransportProvider>; close(): Promise<void> } {
  let started: Promise<TransportProvider> | undefined;
  return {
    get(abort) {
      if (start === undefined) return Promise.reject(new Error(`${name} is not available in this node`));
      if (started === undefined) {
        started = start(abort);
        started.catch(() => {
          started = undefined;
        });
      }
      return started;
    },
    async close() {
      const running = started;
      started = undefined;
      if (running !== undefined) await (await running.catch(() => undefined))?.close();
    },
  };
}

/** Builds the transports for `settings`; nothing is started until needed. */
export function createNodeTransports(settings: NodeSettings, starters: TransportStarters): NodeTransports {
  const tor = once('Tor', settings.tor.enabled ? starters.tor : undefined);
  const i2p = once('I2P', settings.i2p.enabled ? starters.i2p : undefined);
  const connectors: Connector[] = [createTcpConnector()];
  if (settings.tor.enabled && starters.tor !== undefined) {
    connectors.push(
      lazyConnector({
        name: 'tor',
        anonymizing: true,
        canDial: (hint) => hint.scheme === 'tor' || hint.scheme === 'tcp',
        start: async (abort) => (await tor.get(abort)).connector,
      }),
    );
  }
  if (settings.i2p.enabled && starters.i2p !== undefined) {
    connectors.push(
      lazyConnector({
        name: 'i2p',
        anonymizing: true,
        canDial: (hint) => hint.scheme === 'i2p',
        start: async (abort) => (await i2p.get(abort)).connector,
      }),
    );
  }
  const manager = new ConnectionManager({
    anonymous: settings.anonymous,
    handlers: { tcp: settings.connections.tcp },
    connectors,
  });
  return {
    manager,
    dialHost: (host, port, abort) => manager.connect(hintForHost(host, port), abort),
    transportOf: (host) => manager.handlerFor(hintForHost(host, 1)),
    tor: (abort = {}) => tor.get(abort),
    i2p: (abort = {}) => i2p.get(abort),
    async close() {
      await Promise.all([tor.close(), i2p.close()]);
    },
  };
}
