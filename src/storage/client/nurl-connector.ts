/**
 * The GBS client's connector over the node's connection manager, so storage traffic obeys `[connections]` and
 * `[node] reveal-IP-address` like every other connection (Tahoe-LAFS `docs/configuration.rst`, "Connection
 * Management"; `docs/anonymity-configuration.rst`).
 *
 * A NURL names a host and port (url.rst); its host becomes a connection hint: `.onion` → `tor:` (the NURL is
 * `pb+tor://`), `.i2p` → `i2p:` (`pb+i2p://`), anything else → `tcp:`, which an anonymous node sends through
 * Tor (`tcp = tor`). Every dial carries an isolation key (the server id), so streams to different servers
 * never share a Tor circuit and cannot be linked by an exit or a rendezvous point.
 *
 * Raw IP addresses through Tor: the Tor SOCKS connector refuses them by default (`RawIpToTorError`), because an
 * IP handed to Tor usually means a name was resolved locally, leaking it to the local resolver. A `tcp:` host
 * in a NURL is not that: it is the literal the server announced (introducer or `servers.yaml`); lafs never
 * resolves a peer's name itself. The exception therefore belongs where hints are mapped to connectors, i.e.
 * the node's composition of its connection manager: `torConnectorsForPeers` (`endpoints/tor-socks-connector.ts`) gives a Tor connector for
 * `tcp:` hints that accepts raw IPs, next to one for `tor:` hints that still refuses them (a raw IP in a
 * `tor:` hint is refused at parse time too, `dangerouslyAllowRawIpToTor`).
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import type { ConnectionManager } from '../../endpoints/connection-manager.js';
import type { ConnectionHint } from '../../endpoints/types.js';
import type { AbortOptions } from '../../util/abort.js';

/**
 * What the GBS client calls to open a stream (`https-transport.ts` `Connector`). `port` is `undefined` only for
 * a `pb+i2p://` NURL without one (url.rst): the I2P hint then carries no port.
 */
export type NurlConnector = (
  host: string,
  port: number | undefined,
  options: AbortOptions,
) => Promise<Duplex>;

/** Options of {@link connectorForManager}. */
export interface NurlConnectorOptions {
  /**
   * The storage server's id (`v0-...`): streams with different keys never share a Tor circuit. Without one, the
   * Tor connector isolates by destination `host:port`.
   */
  isolationKey?: string;
  /** A dial deadline used when the caller gives no `timeoutMs` (default: the connector's own). */
  timeoutMs?: number;
}

/**
 * The connection hint for a NURL's host and port (host names are never resolved here). Only an I2P host may
 * come without a port (as in its NURL); any other throws a `RangeError`.
 */
export function hintForNurlHost(host: string, port: number | undefined): ConnectionHint {
  const lower = host.toLowerCase();
  if (lower.endsWith('.i2p'))
    return port === undefined ? { scheme: 'i2p', address: lower } : { scheme: 'i2p', address: lower, port };
  if (port === undefined) throw new RangeError('hintForNurlHost: a port is required for a host outside I2P');
  if (lower.endsWith('.onion')) return { scheme: 'tor', host: lower, port };
  return { scheme: 'tcp', host: lower, port };
}

/**
 * A GBS connector that dials through `manager` (one per storage server, with its id as `isolationKey`).
 * Rejects as the manager does: `PrivacyError` when a dial would reveal the node's IP address,
 * `NoConnectorError` when no connector serves the hint, network and abort errors from the connector.
 */
export function connectorForManager(
  manager: ConnectionManager,
  options: NurlConnectorOptions = {},
): NurlConnector {
  return (host, port, abort) => {
    const timeoutMs = abort.timeoutMs ?? options.timeoutMs;
    return manager.connect(hintForNurlHost(host, port), {
      ...(abort.signal === undefined ? {} : { signal: abort.signal }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(options.isolationKey === undefined ? {} : { isolationKey: options.isolationKey }),
    });
  };
}
