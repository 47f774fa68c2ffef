/**
 * Tor through its SOCKS5 port: the `tor` handler of `[connections]` (Tahoe-LAFS `docs/configuration.rst`,
 * "[tor]": `socks.port`, else 127.0.0.1:9050 then 9150). Host names go to Tor unresolved (SOCKS5 ATYP 0x03,
 * torspec `socks-extensions.txt`), so no DNS query ever leaves this machine. Streams are isolated from each other
 * by SOCKS username/password (Tor's `IsolateSOCKSAuth`, on by default).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SocksClient, type SocksClientOptions } from 'socks';
import { AbortError, LafsError } from '../errors.js';
import { type AbortOptions, combineSignals, raceAbort, throwIfAborted } from '../util/abort.js';
import { type ConnectOptions, type Connector, describeHint, hostPortOf } from './connector.js';
import { RawIpToTorError, SocksProtocolError, SocksProxyUnavailableError } from './errors.js';
import { isIpLiteral } from './host.js';
import { Socks5ReplyReader, socksReplyError } from './socks5-reply.js';
import { dialTcp } from './tcp-connector.js';
import type { ConnectionHint } from './types.js';

/** Where Tor's SOCKS port is looked for when none is configured: the Tor daemon's, then Tor Browser's. */
export const DEFAULT_TOR_SOCKS_PORTS: readonly number[] = [9050, 9150];

/** The default limit for a whole dial (proxy connect plus SOCKS handshake); onion services can be slow. */
export const DEFAULT_TOR_CONNECT_TIMEOUT_MS = 120_000;

/** A TCP address of a SOCKS proxy (e.g. the parsed `[tor] socks.port = tcp:127.0.0.1:9050`). */
export interface SocksAddress {
  host: string;
  port: number;
}

/** How streams are spread over circuits. */
export type IsolationPolicy =
  /** One circuit family per destination: the `isolationKey` of the dial, else `host:port` (the default). */
  | 'destination'
  /** All streams of this connector may share circuits. */
  | 'none'
  /** A custom key per dial; equal keys may share circuits. */
  | ((hint: ConnectionHint, options: ConnectOptions) => string);

/** Options of {@link createTorSocksConnector}. */
export interface TorSocksConnectorOptions {
  /** The configured SOCKS port (`[tor] socks.port`). When set, only it is used. */
  socks?: SocksAddress;
  /** Ports tried on 127.0.0.1, in order, when `socks` is not set. Defaults to {@link DEFAULT_TOR_SOCKS_PORTS}. */
  candidatePorts?: readonly number[];
  /** Defaults to `'destination'`. */
  isolation?: IsolationPolicy;
  /**
   * Send raw IP destinations to Tor (refused by default with `RawIpToTorError`, like Arti's
   * `DangerouslyIntoTorAddr`): they leave through an exit relay and usually mean a local DNS lookup happened.
   */
  dangerouslyAllowRawIp?: boolean;
  /** Hint schemes dialled; defaults to `['tor', 'tcp']` (`tcp` for `[connections] tcp = tor`). */
  schemes?: readonly string[];
  /** Used when a dial gives no `timeoutMs`; defaults to {@link DEFAULT_TOR_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /** Opens the TCP connection to the proxy; defaults to {@link dialTcp} (tests inject a recorder). */
  dialProxy?: (host: string, port: number, options: AbortOptions) => Promise<Socket>;
}

/** A connector that reaches hints through Tor's SOCKS5 port, with the proxy it uses exposed for diagnostics. */
export interface TorSocksConnector extends Connector {
  /** The proxy that answered last (the configured one, or the first candidate that accepted a connection). */
  readonly activeProxy: SocksAddress | undefined;
}

/** Creates the Tor SOCKS5 connector. */
export function createTorSocksConnector(options: TorSocksConnectorOptions = {}): TorSocksConnector {
  const schemes = options.schemes ?? ['tor', 'tcp'];
  const dialProxy = options.dialProxy ?? dialTcp;
  const defaultTimeout = options.connectTimeoutMs ?? DEFAULT_TOR_CONNECT_TIMEOUT_MS;
  const isolation = options.isolation ?? 'destination';
  // A per-process secret keeps isolation usernames unguessable and distinct from other Tor clients'.
  const sessionSecret = randomBytes(16).toString('hex');
  const candidates: SocksAddress[] = options.socks
    ? [options.socks]
    : (options.candidatePorts ?? DEFAULT_TOR_SOCKS_PORTS).map((port) => ({ host: '127.0.0.1', port }));
  if (candidates.length === 0)
    throw new RangeError('createTorSocksConnector: candidatePorts must not be empty');
  let active: SocksAddress | undefined;

  const canDial = (hint: ConnectionHint): boolean =>
    schemes.includes(hint.scheme) && hostPortOf(hint) !== undefined;

  /** Connects to the first proxy that accepts a TCP connection, starting with the one that worked last. */
  async function connectToProxy(
    signal: AbortSignal | undefined,
  ): Promise<{ socket: Socket; proxy: SocksAddress }> {
    const order = active === undefined ? candidates : [active, ...candidates.filter((c) => c !== active)];
    const tried: { proxy: string; error: string }[] = [];
    for (const proxy of order) {
      try {
        const socket = await dialProxy(proxy.host, proxy.port, { signal });
        active = proxy;
        return { socket, proxy };
      } catch (error) {
        if (error instanceof AbortError) throw error;
        const detail = error instanceof LafsError && 'errno' in error ? String(error.errno) : String(error);
        tried.push({ proxy: `${proxy.host}:${proxy.port}`, error: detail });
      }
    }
    throw new SocksProxyUnavailableError(tried);
  }

  function credentials(
    hint: ConnectionHint,
    dial: ConnectOptions,
    destination: string,
  ): { userId: string; password: string } | undefined {
    if (isolation === 'none') return undefined;
    const key = typeof isolation === 'function' ? isolation(hint, dial) : (dial.isolationKey ?? destination);
    // Hashing bounds the length (RFC 1929: at most 255 bytes) and keeps server IDs out of Tor's logs.
    const userId = `lafs-${createHash('sha256').update(sessionSecret).update('\0').update(key).digest('hex').slice(0, 32)}`;
    return { userId, password: sessionSecret };
  }

  return {
    name: 'tor',
    anonymizing: true,
    canDial,
    get activeProxy() {
      return active;
    },
    async connect(hint: ConnectionHint, dial: ConnectOptions = {}): Promise<Duplex> {
      const target = hostPortOf(hint);
      if (!canDial(hint) || target === undefined)
        throw new TypeError(`the tor connector cannot dial ${describeHint(hint)}`);
      if (isIpLiteral(target.host) && options.dangerouslyAllowRawIp !== true)
        throw new RawIpToTorError(target.host);
      if (Buffer.byteLength(target.host) > 255)
        throw new TypeError(`host name longer than 255 bytes: ${target.host.slice(0, 40)}...`);
      const destination = describeHint(hint);
      const what = `Tor connection to ${destination}`;
      throwIfAborted(dial.signal, what);
      const signal = combineSignals(
        { signal: dial.signal, timeoutMs: dial.timeoutMs ?? defaultTimeout },
        what,
      );
      const { socket, proxy } = await connectToProxy(signal);
      return handshake(
        socket,
        proxy,
        target,
        credentials(hint, dial, `${target.host}:${target.port}`),
        destination,
        signal,
      );
    },
  };
}

/** Runs the SOCKS5 CONNECT over `socket`, watching the server's bytes for the reply code. */
async function handshake(
  socket: Socket,
  proxy: SocksAddress,
  target: { host: string; port: number },
  auth: { userId: string; password: string } | undefined,
  destination: string,
  signal: AbortSignal | undefined,
): Promise<Duplex> {
  const reader = new Socks5ReplyReader();
  const watch = (chunk: Buffer): void => reader.feed(chunk);
  socket.on('data', watch);
  const request: SocksClientOptions = {
    // The proxy address is only recorded by the library here: the socket is already connected.
    proxy: { host: proxy.host, port: proxy.port, type: 5, ...auth },
    command: 'connect',
    destination: { host: target.host, port: target.port },
    existing_socket: socket,
    // The library's own timer would cut slow onion-service dials short; `signal` carries our deadline instead.
    timeout: 2_147_483_647,
  };
  try {
    const established = await raceAbort(
      SocksClient.createConnection(request),
      signal,
      `SOCKS handshake for ${destination}`,
    );
    return established.socket;
  } catch (error) {
    socket.destroy();
    if (error instanceof AbortError) throw error;
    const state = reader.state;
    if (state.phase === 'failed') throw new SocksProtocolError(state.error.message, { cause: error });
    if (state.phase === 'done' && state.reply !== 0) throw socksReplyError(state.reply, destination, error);
    throw new SocksProtocolError(
      `SOCKS handshake with ${proxy.host}:${proxy.port} for ${destination} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    socket.off('data', watch);
  }
}

/**
 * The two Tor connectors a node registers with its connection manager for peers' addresses, both through the
 * same SOCKS port: the first dials `tcp:` hints (`[connections] tcp = tor`, always so on an anonymous node) and
 * accepts the raw IP addresses servers announce; the second dials `tor:` hints and refuses raw IPs.
 */
export function torConnectorsForPeers(
  options: Omit<TorSocksConnectorOptions, 'schemes' | 'dangerouslyAllowRawIp'> = {},
): Connector[] {
  return [
    createTorSocksConnector({ ...options, schemes: ['tcp'], dangerouslyAllowRawIp: true }),
    createTorSocksConnector({ ...options, schemes: ['tor'] }),
  ];
}
