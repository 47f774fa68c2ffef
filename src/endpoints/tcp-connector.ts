/**
 * Direct TCP: the `tcp` handler of `[connections]` (Tahoe-LAFS `docs/configuration.rst`, "Connection
 * Management"). It reveals this node's IP address to the destination, so the connection manager only lets it
 * reach loopback addresses in anonymous mode.
 *
 * @module
 */
import type { Socket } from 'node:net';
import type { AbortOptions } from '../util/abort.js';
import { connectSocket } from '../util/connect-socket.js';
import type { ConnectOptions, Connector } from './connector.js';
import { TcpConnectError } from './errors.js';
import type { ConnectionHint } from './types.js';

/** The default limit for establishing a TCP connection. */
export const DEFAULT_TCP_CONNECT_TIMEOUT_MS = 30_000;

/**
 * Opens a TCP connection to `host:port` and resolves once it is established. Host names are resolved by the
 * operating system: never call this with a destination that must stay private (use Tor). Rejects with
 * {@link TcpConnectError} or, when `signal` fires or `timeoutMs` passes, with `AbortError`; the socket is
 * destroyed and every listener removed in each case.
 */
export function dialTcp(host: string, port: number, options: AbortOptions = {}): Promise<Socket> {
  return connectSocket(
    { host, port },
    options,
    `TCP connection to ${host}:${port}`,
    (error) => new TcpConnectError(host, port, error.code, { cause: error }),
  );
}

/** Options of {@link createTcpConnector}. */
export interface TcpConnectorOptions {
  /** Used when a dial gives no `timeoutMs`; defaults to {@link DEFAULT_TCP_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
}

/** A connector for `tcp:` hints over direct TCP (`[connections] tcp = tcp`). Refuses `.onion` and `.i2p` hosts. */
export function createTcpConnector(options: TcpConnectorOptions = {}): Connector {
  const defaultTimeout = options.connectTimeoutMs ?? DEFAULT_TCP_CONNECT_TIMEOUT_MS;
  const canDial = (hint: ConnectionHint): boolean => {
    if (hint.scheme !== 'tcp') return false;
    const host = (hint as { host?: unknown }).host;
    // A direct lookup of an overlay name would leak it to the local DNS resolver and could never succeed.
    return typeof host === 'string' && !/\.(onion|i2p)$/i.test(host);
  };
  return {
    name: 'tcp',
    anonymizing: false,
    canDial,
    async connect(hint: ConnectionHint, dialOptions: ConnectOptions = {}) {
      if (!canDial(hint)) throw new TypeError(`the tcp connector cannot dial a ${hint.scheme}: hint`);
      const { host, port } = hint as { host: string; port: number };
      return dialTcp(host, port, {
        signal: dialOptions.signal,
        timeoutMs: dialOptions.timeoutMs ?? defaultTimeout,
      });
    },
  };
}
