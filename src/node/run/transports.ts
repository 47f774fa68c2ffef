/**
 * The node's outbound transports: direct TCP, Tor and I2P as `[connections]`, `[tor]` and `[i2p]` configure
 * them, behind one {@link ConnectionManager} that enforces `reveal-IP-address = false`. Tor and I2P start on
 * first use, as Tahoe-LAFS starts them, or at once when the node publishes an onion service or I2P destination.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { NodeSettings } from '../../config/types.js';
import { ConnectionManager } from '../../endpoints/connection-manager.js';
import type { Connector } from '../../endpoints/connector.js';
import { createTcpConnector } from '../../endpoints/tcp-connector.js';
import type { ConnectionHint } from '../../endpoints/types.js';
import type { NodeI2p } from '../../i2p/node-i2p.js';
import { connectorForManager, hintForNurlHost } from '../../storage/client/nurl-connector.js';
import type { NodeTor } from '../../tor/node-tor.js';
import type { AbortOptions } from '../../util/abort.js';
import { TransportUnavailableError } from './errors.js';

/** How to start Tor and I2P for this node (see `overlay-starters.ts`). */
export interface TransportStarters {
  tor?(abort: AbortOptions): Promise<NodeTor>;
  i2p?(abort: AbortOptions): Promise<NodeI2p>;
}

/** The node's transports. */
export interface NodeTransports {
  readonly manager: ConnectionManager;
  /**
   * Opens a stream to `host:port` for the HTTPS clients (storage servers, introducers); `isolationKey` isolates
   * circuits. `port` is `undefined` only for an I2P host (a `pb+i2p://` NURL without one).
   */
  dialHost(
    host: string,
    port: number | undefined,
    abort: AbortOptions & { isolationKey?: string },
  ): Promise<Duplex>;
  /** Which transport reaches `host` ("tcp", "tor", "i2p", or "disabled"). */
  transportOf(host: string): string;
  /** Starts Tor now (for an onion service). */
  tor(abort?: AbortOptions): Promise<NodeTor>;
  /** Starts I2P now (for a destination). */
  i2p(abort?: AbortOptions): Promise<NodeI2p>;
  /** Stops every started transport. */
  close(): Promise<void>;
}

/**
 * One start at a time; a failure is forgotten so that the next call tries again. After `close`, `get` rejects
 * rather than starting the transport again.
 */
function startOnce<T extends { close(): Promise<void> }>(
  name: string,
  start: ((abort: AbortOptions) => Promise<T>) | undefined,
): { get(abort: AbortOptions): Promise<T>; close(): Promise<void> } {
  let started: Promise<T> | undefined;
  let closed = false;
  return {
    get(abort) {
      if (start === undefined)
        return Promise.reject(new TransportUnavailableError(name, 'is disabled for this node'));
      if (closed) return Promise.reject(new TransportUnavailableError(name, 'was stopped with the node'));
      if (started === undefined) {
        const attempt = start(abort);
        started = attempt;
        attempt.catch(() => {
          if (started === attempt) started = undefined;
        });
      }
      return started;
    },
    async close() {
      closed = true;
      const running = started;
      started = undefined;
      if (running !== undefined) await (await running.catch(() => undefined))?.close();
    },
  };
}

/**
 * A connector whose transport starts on its first dial (Tahoe-LAFS starts Tor and I2P only when a hint needs
 * them); `canDial` decides without starting anything.
 */
function deferredConnector(
  name: string,
  canDial: (hint: ConnectionHint) => boolean,
  transport: (abort: AbortOptions) => Promise<{ connector: Connector }>,
): Connector {
  return {
    name,
    anonymizing: true,
    canDial,
    async connect(hint, dial = {}) {
      const { connector } = await transport({ signal: dial.signal, timeoutMs: dial.timeoutMs });
      return connector.connect(hint, dial);
    },
  };
}

/** Builds the transports for `settings`; nothing is started until needed. */
export function createNodeTransports(settings: NodeSettings, starters: TransportStarters): NodeTransports {
  const tor = startOnce('Tor', settings.tor.enabled ? starters.tor : undefined);
  const i2p = startOnce('I2P', settings.i2p.enabled ? starters.i2p : undefined);
  const connectors: Connector[] = [createTcpConnector()];
  if (settings.tor.enabled && starters.tor !== undefined)
    connectors.push(
      deferredConnector('tor', (hint) => hint.scheme === 'tor' || hint.scheme === 'tcp', tor.get),
    );
  if (settings.i2p.enabled && starters.i2p !== undefined)
    connectors.push(deferredConnector('i2p', (hint) => hint.scheme === 'i2p', i2p.get));
  const manager = new ConnectionManager({
    anonymous: settings.anonymous,
    handlers: { tcp: settings.connections.tcp },
    connectors,
  });
  return {
    manager,
    dialHost: (host, port, abort) =>
      connectorForManager(manager, { isolationKey: abort.isolationKey })(host, port, abort),
    transportOf: (host) => manager.handlerFor(hintForNurlHost(host, 1)),
    tor: (abort = {}) => tor.get(abort),
    i2p: (abort = {}) => i2p.get(abort),
    async close() {
      await Promise.all([tor.close(), i2p.close()]);
    },
  };
}
