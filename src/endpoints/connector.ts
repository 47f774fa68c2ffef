/**
 * The connector interface: something that can open a byte stream to a connection hint (libp2p's transport
 * interface; Tahoe-LAFS/Foolscap connection handlers, `docs/configuration.rst` "Connection Management").
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { AbortOptions } from '../util/abort.js';
import type { ConnectionHint } from './types.js';

/** Options for one dial. */
export interface ConnectOptions extends AbortOptions {
  /**
   * Streams with the same key may share a Tor circuit; different keys never do. The connection manager passes
   * the storage server's ID here when it has one; connectors fall back to the destination `host:port`.
   */
  isolationKey?: string;
}

/** Opens byte streams to the hints it accepts. */
export interface Connector {
  /** The handler name this connector implements, as written in `[connections]`: `tcp`, `tor`, `i2p`, ... */
  readonly name: string;
  /**
   * True if the connection hides this node's IP address from the destination (Tor, I2P). The connection manager
   * lets a connector without it reach only loopback destinations in anonymous mode.
   */
  readonly anonymizing?: boolean;
  /** Whether this connector can dial `hint` at all (scheme, address form). Must not do I/O. */
  canDial(hint: ConnectionHint): boolean;
  /** Opens a stream to `hint`. Rejects with a `LafsError` (network, privacy, aborted ...). */
  connect(hint: ConnectionHint, options?: ConnectOptions): Promise<Duplex>;
}

/** `host` and `port` of a `tcp:` or `tor:` hint (or any hint carrying string `host` and numeric `port`). */
export function hostPortOf(hint: ConnectionHint): { host: string; port: number } | undefined {
  const { host, port } = hint as { host?: unknown; port?: unknown };
  return typeof host === 'string' && typeof port === 'number' ? { host, port } : undefined;
}

/** A short description of a hint for error messages (`scheme:host:port`). */
export function describeHint(hint: ConnectionHint): string {
  const hp = hostPortOf(hint);
  if (hp !== undefined)
    return `${hint.scheme}:${hp.host.includes(':') ? `[${hp.host}]` : hp.host}:${hp.port}`;
  const address = (hint as { address?: unknown }).address;
  return typeof address === 'string' ? `${hint.scheme}:${address}` : hint.scheme;
}
