/**
 * The options of node creation, mirroring Tahoe-LAFS's `create-node`, `create-client` and `create-introducer`
 * (`allmydata/scripts/create_node.py`).
 *
 * @module
 */
import type { AbortOptions } from '../../util/abort.js';

/** Which command: a full node (client + storage server), a client only, or an introducer. */
export type CreateNodeKind = 'node' | 'client' | 'introducer';

/** Tahoe's default web API listener: loopback only. */
export const DEFAULT_WEBPORT = 'tcp:3456:interface=127.0.0.1';

/** Everything node creation needs. Omitted options take Tahoe's defaults. */
export interface CreateNodeOptions {
  kind: CreateNodeKind;
  /** The directory to create (it may exist if empty). */
  nodeDir: string;
  /** `--nickname`. */
  nickname?: string | undefined;
  /** `--introducer`: written to `private/introducers.yaml` as petname `default`. */
  introducer?: string | undefined;
  /** `--webport` (default {@link DEFAULT_WEBPORT}; `none` disables the web API). Introducers have none. */
  webport?: string | undefined;
  /** `--shares-needed` (default 3). */
  sharesNeeded?: number | undefined;
  /** `--shares-happy` (default 7). */
  sharesHappy?: number | undefined;
  /** `--shares-total` (default 10). */
  sharesTotal?: number | undefined;
  /** `--hide-ip`: write `reveal-IP-address = false` and `[connections] tcp = tor`. */
  hideIp?: boolean | undefined;
  /** `--listen` kinds (default `['tcp']`; `create-client` always uses `none`). */
  listen?: string[] | undefined;
  /** `--hostname`: with `--listen=tcp`, publish `tcp:HOSTNAME:PORT` on an allocated port. */
  hostname?: string | undefined;
  /** `--location` (with `--port`): the exact `tub.location`. */
  location?: string | undefined;
  /** `--port` (with `--location`): the exact `tub.port`. */
  port?: string | undefined;
  /** `--no-storage` (create-node): do not run a storage server. */
  noStorage?: boolean | undefined;
  /** `--helper` (create-node): run an upload helper. */
  helper?: boolean | undefined;
  /** `--storage-dir` (create-node). */
  storageDir?: string | undefined;
  /** Values of listener plugins' own options (`--tor-control-port`...), by option name. */
  listenerOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Overrides the TCP port allocator (tests). */
  allocatePort?: ((abort: AbortOptions) => Promise<number>) | undefined;
}
