/**
 * A connector whose transport starts on first use: Tahoe-LAFS starts (or connects to) Tor and I2P only when a
 * hint needs them, so a node that never meets a `tor:` hint never runs tor. A failed start is retried on the next
 * dial rather than remembered forever.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { ConnectOptions, Connector } from '../../endpoints/connector.js';
import type { ConnectionHint } from '../../endpoints/types.js';
import type { AbortOptions } from '../../util/abort.js';

/** How to build a {@link lazyConnector}. */
export interface LazyConnectorOptions {
  /** The handler name (`tor`, `i2p`). */
  name: string;
  /** Whether the started connector hides this node's address. */
  anonymizing: boolean;
  /** The hints the connector will accept, decided without starting anything. */
  canDial(hint: ConnectionHint): boolean;
  /** Starts the transport and returns its connector. */
  start(abort: AbortOptions): Promise<Connector>;
}

/** A connector that calls `start` on its first dial and delegates to what it returned. */
export function lazyConnector(options: LazyConnectorOptions): Connector {
  let started: Promise<Connector> | undefined;
  const get = (abort: AbortOptions): Promise<Connector> => {
    if (started === undefined) {
      started = options.start(abort);
      started.catch(() => {
        started = undefined;
      });
    }
    return started;
  };
  return {
    name: options.name,
    anonymizing: options.anonymizing,
    canDial: options.canDial,
    async connect(hint: ConnectionHint, dial: ConnectOptions = {}): Promise<Duplex> {
      const connector = await get({ signal: dial.signal, timeoutMs: dial.timeoutMs });
      return connector.connect(hint, dial);
    },
  };
}
