/**
 * The typed settings of a node directory: one interface per `tahoe.cfg` section (Tahoe-LAFS
 * `docs/configuration.rst`), with Tahoe's defaults applied, paths resolved against the node directory and
 * endpoint descriptors parsed. Produced by `loadNodeConfig`; consumed by `node/`, which decides what to run.
 *
 * @module
 */
import type { ConnectionHint, ListenDescriptor, LocationItem } from '../endpoints/types.js';
import type { ClientEndpoint } from './client-endpoint.js';

/** Which program the directory belongs to, from its `tahoe-client.tac` / `tahoe-introducer.tac` marker file. */
export type NodeType = 'client' | 'introducer';

/** A listen setting (`tub.port`, `web.port`, `[sftpd] port`): the text as written and its parsed descriptors. */
export interface ListenSetting {
  /** The value as written in `tahoe.cfg` (after interpolation). */
  raw: string;
  /** The parsed descriptors (`tub.port` may list several, comma-separated). */
  descriptors: ListenDescriptor[];
}

/**
 * `[node] tub.port`: `disabled`; descriptors from tahoe.cfg; or `unset`, when the node reuses the descriptor in
 * `NODEDIR/client.port` (`introducer.port`) or allocates a port and writes it there (see `portFile`).
 */
export type TubPortSetting =
  | { kind: 'disabled' }
  | ({ kind: 'listen' } & ListenSetting)
  | { kind: 'unset'; portFile: string };

/** `[node] tub.location`: `disabled`, or the location items to publish (a missing key means `AUTO`). */
export type TubLocationSetting =
  | { kind: 'disabled' }
  | { kind: 'items'; raw: string; items: LocationItem[]; fromDefault: boolean };

/** `[node]`: settings common to every node type. */
export interface NodeSection {
  /** `nickname`; Tahoe shows `<unspecified>` when unset. */
  nickname: string;
  /** `web.port`; `undefined` when the key is missing or empty (no web server). */
  webPort: ListenSetting | undefined;
  /** `web.static`, resolved (default `NODEDIR/public_html`). */
  webStatic: string;
  tubPort: TubPortSetting;
  tubLocation: TubLocationSetting;
  /** `log_gatherer.furl`, if set. */
  logGathererFurl: string | undefined;
  /** `timeout.keepalive` in seconds (Foolscap's default 240 applies when unset). */
  timeoutKeepaliveSeconds: number | undefined;
  /** `timeout.disconnect` in seconds; unset disables the disconnect timer. */
  timeoutDisconnectSeconds: number | undefined;
  /** `tempdir`, resolved (default `NODEDIR/tmp`). */
  tempDir: string;
  /** `reveal-IP-address` (default true); false also when the older `anonymize = true` is set. */
  revealIpAddress: boolean;
}

/** How `tcp:` hints are dialled (`[connections] tcp`). */
export type TcpHandler = 'tcp' | 'tor' | 'disabled';

/** `[connections]`. */
export interface ConnectionsSection {
  /** The handler for `tcp:` hints. `tor:` hints always use Tor and `i2p:` hints always use I2P. */
  tcp: TcpHandler;
  /**
   * Where `tcp` came from: `config` (written in tahoe.cfg), `default` (`tcp`, non-anonymous node) or
   * `anonymity` (unset on an anonymous node, so every `tcp:` hint goes through Tor).
   */
  tcpSource: 'config' | 'default' | 'anonymity';
}

/** `[tor] onion = true`: the onion service the node runs (needs `launch` or `control.port`). */
export interface OnionServiceSettings {
  /** `onion.local_port`: the loopback port the onion service forwards to. */
  localPort: number;
  /** `onion.external_port`: the virtual port published in `tub.location`. */
  externalPort: number;
  /** `onion.private_key_file`, resolved against the node directory. */
  privateKeyFile: string;
  /**
   * Set when `onion.client_auth = true`: `onion.authorized_clients_dir`, resolved (default
   * `NODEDIR/private/tor_authorized_clients`), holding one Tor `*.auth` file per client allowed to connect.
   */
  authorizedClientsDir?: string;
}

/** `[tor]`: how Tor is reached (docs: the five valid combinations). */
export interface TorSection {
  /** `enabled` (default true). */
  enabled: boolean;
  /** `socks.port`; unset means try 127.0.0.1:9050, then 9150. */
  socksPort: ClientEndpoint | undefined;
  /** `control.port`. */
  controlPort: ClientEndpoint | undefined;
  /** `launch` (default false): start a private Tor. */
  launch: boolean;
  /** `tor.executable`; unset means `tor` on `$PATH`. */
  executable: string | undefined;
  /** Set when `onion = true`. */
  onion: OnionServiceSettings | undefined;
  /** `client_auth_dir`, resolved: Tor `*.auth_private` files with this node's keys for private onion services. */
  clientAuthDir?: string;
}

/** `[i2p] dest = true`: the I2P destination the node runs. */
export interface I2pDestinationSettings {
  /** `dest.port`: the port published in `tub.location`. */
  port: number;
  /** `dest.private_key_file`, resolved. */
  privateKeyFile: string;
}

/** `[i2p]`. */
export interface I2pSection {
  /** `enabled` (default true). */
  enabled: boolean;
  /** `sam.port`; unset means 127.0.0.1:7656. */
  samPort: ClientEndpoint | undefined;
  /** `launch` (default false). */
  launch: boolean;
  /** `i2p.configdir`, resolved. */
  configDir: string | undefined;
  /** `i2p.executable`. */
  executable: string | undefined;
  /** Set when `dest = true`. */
  destination: I2pDestinationSettings | undefined;
}

/** `[client]`: defaults for new uploads and how the grid is found. */
export interface ClientSection {
  /** Deprecated `introducer.furl` (use `private/introducers.yaml`); merged into `introducers` as `default`. */
  introducerFurl: string | undefined;
  /** `helper.furl`; `None` and empty mean no helper. */
  helperFurl: string | undefined;
  /** `key_generator.furl` (obsolete; accepted and ignored by Tahoe). */
  keyGeneratorFurl: string | undefined;
  /** `shares.needed` ("k", default 3). */
  sharesNeeded: number;
  /** `shares.happy` (default 7). */
  sharesHappy: number;
  /** `shares.total` ("N", default 10). */
  sharesTotal: number;
  /** `shares._max_immutable_segment_size_for_testing` (default 1 MiB, as Tahoe-LAFS 1.19+). */
  maxSegmentSize: number;
  /** `mutable.format` (default `sdmf`). */
  mutableFormat: 'sdmf' | 'mdmf';
  /** `peers.preferred`: node IDs tried first. */
  peersPreferred: string[];
  /** `storage.plugins`: storage client plugin names. */
  storagePlugins: string[];
  /** `force_foolscap` (default false). */
  forceFoolscap: boolean;
}

/** `[storage] expire.*`: lease-expiry garbage collection (`docs/garbage-collection.rst`). */
export interface ExpirySettings {
  enabled: boolean;
  mode: 'age' | 'cutoff-date';
  /** `expire.override_lease_duration` in seconds. */
  overrideLeaseDurationSeconds: number | undefined;
  /** `expire.cutoff_date` as seconds since the epoch (required in `cutoff-date` mode). */
  cutoffDate: number | undefined;
  /** `expire.immutable` (default true). */
  immutable: boolean;
  /** `expire.mutable` (default true). */
  mutable: boolean;
}

/** `[storage]`: the storage server. */
export interface StorageSection {
  /** `enabled` (default true). */
  enabled: boolean;
  /** `anonymous` (default true). */
  anonymous: boolean;
  /** `readonly` (default false). */
  readonly: boolean;
  /** `reserved_space` in bytes (default 0). */
  reservedSpace: number;
  /** `storage_dir`, resolved (default `NODEDIR/storage`). */
  storageDir: string;
  /** `debug_discard` (default false). */
  debugDiscard: boolean;
  expire: ExpirySettings;
  /** `plugins`: storage server plugin names. */
  plugins: string[];
  /** `grid_management` (default false). */
  gridManagement: boolean;
  /** `force_foolscap` (default false). */
  forceFoolscap: boolean;
}

/** `[helper]`. */
export interface HelperSection {
  /** `enabled` (default false). */
  enabled: boolean;
}

/** `[sftpd]` (`docs/frontends/FTP-and-SFTP.rst`). */
export interface SftpdSection {
  enabled: boolean;
  /** `accounts.file`, resolved. */
  accountsFile: string | undefined;
  /** `port` (default `tcp:8022`). */
  port: ListenSetting;
  hostPubkeyFile: string | undefined;
  hostPrivkeyFile: string | undefined;
}

/** One introducer from `private/introducers.yaml` (or the deprecated `[client] introducer.furl`). */
export interface IntroducerSettings {
  petname: string;
  furl: string;
  /** `private/introducer_<petname>_cache.yaml`. */
  cacheFile: string;
}

/** The files beside `tahoe.cfg` that matter to a node (`docs/configuration.rst`, "Other Files in BASEDIR"). */
export interface NodePaths {
  baseDir: string;
  configFile: string;
  privateDir: string;
  /** `private/convergence`: the convergence secret (generated on first start if missing). */
  convergenceFile: string;
  /** `private/introducers.yaml`. */
  introducersFile: string;
  /** `private/servers.yaml`: static servers. */
  serversFile: string;
  /** `node.url`: the web API's URL, written by a running node. */
  nodeUrlFile: string;
  /** `client.port` or `introducer.port`: the remembered `tub.port` descriptor. */
  portFile: string;
  /** `private/node.pem`, `private/node.privkey`: the node's identity. */
  nodeCertFile: string;
}

/** Everything a node directory configures. Client-only sections are `undefined` for an introducer. */
export interface NodeSettings {
  nodeType: NodeType;
  /** True when `[node] reveal-IP-address = false` (or `anonymize = true`): every anonymity rule was checked. */
  anonymous: boolean;
  paths: NodePaths;
  node: NodeSection;
  connections: ConnectionsSection;
  tor: TorSection;
  i2p: I2pSection;
  client: ClientSection | undefined;
  storage: StorageSection | undefined;
  helper: HelperSection | undefined;
  sftpd: SftpdSection | undefined;
  /** `[storageserver.plugins.NAME]` sections, by plugin name (content defined by each plugin). */
  storageServerPlugins: Record<string, Record<string, string>>;
  /** `[storageclient.plugins.NAME]` sections, by plugin name. */
  storageClientPlugins: Record<string, Record<string, string>>;
  /** `[grid_managers]`: name to Grid Manager public key (`docs/managed-grid.rst`). */
  gridManagers: Record<string, string>;
  /** `[grid_manager_certificates]`: name to certificate file, resolved. */
  gridManagerCertificates: Record<string, string>;
  /** From `private/introducers.yaml` and `[client] introducer.furl`. */
  introducers: IntroducerSettings[];
}

export type { ConnectionHint, ListenDescriptor, LocationItem };
