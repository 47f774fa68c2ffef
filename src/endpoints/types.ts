/**
 * The typed forms of connection hints, listen descriptors and location lists, and the codec interface that turns
 * descriptor strings into them (Twisted endpoint-descriptor syntax as used by Tahoe-LAFS `docs/configuration.rst`:
 * "tub.port", "tub.location", "web.port", "Connection Management").
 *
 * @module
 */
import type { DescriptorToken } from './tokenize.js';

/**
 * Options kept from a hint that the codec does not itself understand, in their original order. Hints come from
 * peers (FURLs, announcements) that may be newer than us, so unknown `key=value` options are preserved and
 * re-emitted by `format` rather than dropped; connectors ignore the ones they do not know.
 */
export type HintOptions = Readonly<Record<string, string>>;

/** `tcp:HOST:PORT` (also legacy `HOST:PORT` and `[IPv6]:PORT`): a direct TCP destination. */
export interface TcpHint {
  scheme: 'tcp';
  /** A DNS name (lower-cased), an IPv4 address, or an IPv6 address without brackets. */
  host: string;
  port: number;
  options?: HintOptions;
}

/** `tor:HOST:PORT`: a destination reached through Tor (`.onion` v3 address, or a DNS name via an exit). */
export interface TorHint {
  scheme: 'tor';
  host: string;
  port: number;
  options?: HintOptions;
}

/** `i2p:ADDR[:PORT]`: an I2P destination (`<52 base32>.b32.i2p` or a `.i2p` host name). */
export interface I2pHint {
  scheme: 'i2p';
  address: string;
  port?: number;
  options?: HintOptions;
}

/** A hint of a scheme registered by a library user; `scheme` is the codec name. */
export interface CustomHint {
  scheme: string;
  [field: string]: unknown;
}

/** Where a peer can be reached: one element of a FURL's location list or of `tub.location`. */
export type ConnectionHint = TcpHint | TorHint | I2pHint | CustomHint;

/** `tcp:PORT[:interface=ADDR]` (also `tcp:port=P:interface=A`; `tcp6:` sets interface `::` by default). */
export interface TcpListen {
  scheme: 'tcp';
  port: number;
  interface?: string;
}

/**
 * `unix:ADDRESS[:mode=OCTAL][:backlog=N][:lockfile=0|1]` (also `unix:address=ADDRESS`): a listening Unix-domain
 * socket, with Twisted `serverFromString`'s keywords.
 */
export interface UnixListen {
  scheme: 'unix';
  path: string;
  /** The socket file's permission bits (`mode=660` is 0o660; Twisted's default is 0o666). */
  mode?: number;
  /** The listen queue length (Twisted's default is 50). */
  backlog?: number;
  /** Guard the socket with a PID lock file (`lockfile=1`, Twisted's `wantPID`). */
  lockfile?: boolean;
}

/**
 * A client `unix:PATH[:timeout=SECONDS][:lockfile=0|1]` descriptor (also `unix:path=PATH`, `checkPID=`), with
 * Twisted `clientFromString`'s keywords: where a local daemon (Tor's control port, a SAM bridge) listens.
 */
export interface UnixClientDescriptor {
  path: string;
  /** `timeout=`: seconds to wait for the connection (Twisted's default is 30). */
  timeoutSeconds?: number;
  /** `lockfile=` / `checkPID=`: check the server's PID lock file before connecting. */
  lockfile?: boolean;
}

/** `onion:VIRTPORT[:localPort=P][:hiddenServiceDir=DIR][:privateKeyFile=F]` (txtorcon's onion endpoint). */
export interface OnionListen {
  scheme: 'onion';
  virtualPort: number;
  localPort?: number;
  hiddenServiceDir?: string;
  privateKeyFile?: string;
}

/** `listen:tor` or `listen:i2p`: the Tor or I2P provider builds the listener from `[tor]` / `[i2p]`. */
export interface ProviderListen {
  scheme: 'listen';
  transport: 'tor' | 'i2p';
}

/** `disabled`: do not listen at all. Only valid as the whole `tub.port` value. */
export interface DisabledListen {
  scheme: 'disabled';
}

/** A listen descriptor of a scheme registered by a library user. */
export interface CustomListen {
  scheme: string;
  [field: string]: unknown;
}

/** Where a node listens (`tub.port`, `web.port`). */
export type ListenDescriptor =
  | TcpListen
  | UnixListen
  | OnionListen
  | ProviderListen
  | DisabledListen
  | CustomListen;

/**
 * One element of `tub.location`: a hint to publish, `AUTO` (this host's addresses), `UNREACHABLE` (publish no
 * address: a node that makes outbound connections only), or `disabled` (the whole value; no listener at all).
 */
export type LocationItem =
  | { type: 'hint'; hint: ConnectionHint }
  | { type: 'auto' }
  | { type: 'unreachable' }
  | { type: 'disabled' };

/** What a codec is handed: one descriptor, already split into escaped tokens with absolute positions. */
export interface DescriptorInput {
  /** The complete string being parsed (a whole list when parsing a list), for error messages. */
  source: string;
  /** Position in `source` where this descriptor starts. */
  start: number;
  /** The scheme as written (may be an alias), lower-cased. */
  scheme: string;
  /** The tokens after the scheme. */
  args: readonly DescriptorToken[];
  /** `config` for local settings, `input` for data from peers. */
  kind: 'config' | 'input';
  /** Parser policy switches. */
  policy: ParsePolicy;
}

/** Policy switches that change what the parser accepts. */
export interface ParsePolicy {
  /**
   * Accept `tor:` hints whose host is a raw IP address (refused by default: see `RawIpToTorError`). Named after
   * Arti's `DangerouslyIntoTorAddr`.
   */
  dangerouslyAllowRawIpToTor?: boolean;
}

/** A codec for one scheme: parse, format and validate one kind of descriptor. */
export interface DescriptorCodec<T extends { scheme: string } = { scheme: string }> {
  /** The canonical scheme name (what `format` writes and what `T['scheme']` is). */
  readonly name: string;
  /** Other scheme names accepted on input (e.g. `tcp6`). */
  readonly aliases: readonly string[];
  /** `hint` codecs parse connection hints; `listen` codecs parse listen descriptors. */
  readonly kind: 'hint' | 'listen';
  /** Builds the typed value; throws `DescriptorError` naming the position of the first problem. */
  parse(input: DescriptorInput): T;
  /** Writes the canonical descriptor string (escaping `\`, `:`, `=` and `,` in values). */
  format(value: T): string;
  /** Checks a typed value built by hand; throws `DescriptorError` (against its formatted form) if invalid. */
  validate(value: T, policy?: ParsePolicy): void;
}
