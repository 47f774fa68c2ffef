/**
 * What the web gateway needs from the node it fronts. The node implements {@link GatewayBackend}; tests build
 * one over a local grid.
 *
 * @module
 */
import type { GridServer } from '../../storage/client/grid.js';
import type { LeaseSecrets } from '../../storage/client/lease-secrets.js';

/** Erasure-coding parameters of new uploads (`[client] shares.needed/happy/total`, tahoe.cfg). */
export interface GatewayEncoding {
  needed: number;
  happy: number;
  total: number;
  maxSegmentSize?: number | undefined;
}

/** One storage server as the welcome page shows it (Tahoe `web/root.py` `_describe_server`). */
export interface WelcomeServer {
  /** The server id (`v0-...`). */
  serverId: string;
  nickname: string;
  /** Where the server is, already redacted by the node (it may be an onion or I2P address). */
  address: string;
  connected: boolean;
  /** Human-readable connection state, e.g. "Connected via tor" or "Trying to connect". */
  connectionStatus: string;
  /** Seconds since the epoch of the last data received, or `null`. */
  lastReceivedData: number | null;
  /** Bytes the server announced as free, or `null` when unknown. */
  availableSpace: number | null;
  /** The server's announced version string, when known. */
  version?: string | undefined;
}

/** One introducer connection as the welcome page shows it. */
export interface WelcomeIntroducer {
  /** The introducer's fURL, already redacted by the node. */
  furl: string;
  connected: boolean;
  connectionStatus: string;
  /** Seconds since the epoch of the last change of state, or `null`. */
  since: number | null;
}

/** Everything the welcome page (`GET /`) shows. */
export interface WelcomeInfo {
  nickname: string;
  /** The node id (`v0-...`). */
  nodeId: string;
  /** The software version (e.g. `lafs/0.1.0`). */
  version: string;
  introducers: WelcomeIntroducer[];
  servers: WelcomeServer[];
}

/** The node behind a web gateway. */
export interface GatewayBackend {
  /** The storage servers currently connected (asked afresh for every upload and download). */
  servers(): readonly GridServer[];
  /** Parameters of new uploads. */
  encoding: GatewayEncoding;
  /** `private/convergence`; `undefined` uploads with random keys. */
  convergenceSecret: Uint8Array | undefined;
  /** Derives lease secrets from `private/secret`. */
  leaseSecrets: LeaseSecrets;
  /** Where uploads are spooled before encoding (the node's `tmp/`; must exist). */
  tmpDir: string;
  /** The welcome page's contents, at the time of the request. */
  welcome(): WelcomeInfo;
}
