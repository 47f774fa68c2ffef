/**
 * The `i2p` connector: dials `i2p:ADDR[:PORT]` hints (Tahoe-LAFS `docs/configuration.rst`, "Connection
 * Management" and "[i2p]") through ONE SAM STREAM session that serves every stream (SAM v3 "STREAM CONNECT").
 *
 * A dial is: wait for the shared session (created lazily by a factory, re-created after it ends), resolve the
 * address with NAMING LOOKUP on a fresh bridge connection (bounded by `lookupTimeoutMs`; `.b32.i2p` addresses
 * too, since SAM 3.1's STREAM CONNECT takes only base64 destinations), then STREAM CONNECT. The whole dial is
 * bounded by the dial's `timeoutMs` (default {@link DEFAULT_I2P_CONNECT_TIMEOUT_MS}).
 *
 * Reachability: i2pd answers `STREAM STATUS RESULT=OK` as soon as it has *started* the stream, before the peer
 * has been reached (shared/i2p/NOTES.md; Java I2P waits). A resolved stream is therefore not proof that the
 * peer is there: the caller's first-byte (or TLS handshake) deadline is what notices a peer that never
 * answers. The HTTPS storage transport has such a deadline (`connectTimeoutMs`, covering the handshake).
 *
 * Ports: `i2p:ADDR:PORT` carries an I2P virtual port; it is sent as `TO_PORT` only when the bridge speaks
 * SAM 3.2+. i2pd 2.45 speaks 3.1, where a destination has a single service and the port is ignored.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import { type ConnectOptions, type Connector, describeHint } from '../endpoints/connector.js';
import { isValidPort } from '../endpoints/host.js';
import { checkI2pName } from '../endpoints/overlay-address.js';
import type { ConnectionHint, I2pHint } from '../endpoints/types.js';
import { AbortError } from '../errors.js';
import { type AbortOptions, combineSignals, raceAbort, throwIfAborted } from '../util/abort.js';
import { I2pNameNotFoundError, I2pSessionError, SamInvalidKeyError } from './errors.js';
import type { SamSession } from './sam-session.js';

/** Default bound on a whole dial (session wait + lookup + STREAM CONNECT). */
export const DEFAULT_I2P_CONNECT_TIMEOUT_MS = 120_000;
/** Default bound on one NAMING LOOKUP (a `.b32.i2p` lookup may fetch a LeaseSet from the network). */
export const DEFAULT_I2P_LOOKUP_TIMEOUT_MS = 30_000;

/** A session to use as is (owned by the caller), or a factory the connector calls when it needs one. */
export type SamSessionSource = SamSession | (() => Promise<SamSession>);

/** Options of {@link createI2pConnector}. */
export interface I2pConnectorOptions {
  /**
   * The SAM STREAM session that carries every stream. A factory is called on the first dial (and again after
   * the session ended or its creation failed); the connector then owns that session and closes it in
   * `close()`. A session passed directly stays the caller's.
   */
  session: SamSessionSource;
  /** Used when a dial gives no `timeoutMs` (default {@link DEFAULT_I2P_CONNECT_TIMEOUT_MS}). */
  connectTimeoutMs?: number;
  /** Bound on each NAMING LOOKUP (default {@link DEFAULT_I2P_LOOKUP_TIMEOUT_MS}). */
  lookupTimeoutMs?: number;
}

/** The `i2p` connector, with its session exposed for diagnostics. */
export interface I2pConnector extends Connector {
  readonly name: 'i2p';
  readonly anonymizing: true;
  /** The session in use, once there is one. */
  readonly session: SamSession | undefined;
  /**
   * Creates the session now instead of on the first dial (SESSION CREATE takes seconds to minutes), or returns
   * the live one.
   *
   * @throws I2pSessionError when it cannot be created; AbortError.
   */
  prepare(abort?: AbortOptions): Promise<SamSession>;
  /** Refuses further dials and closes a session the connector created. Streams already open stay open. */
  close(): Promise<void>;
}

/** True for a well-formed `i2p:` hint (no I/O). */
function isI2pHint(hint: ConnectionHint): hint is I2pHint {
  if (hint.scheme !== 'i2p') return false;
  const { address, port } = hint as { address?: unknown; port?: unknown };
  if (typeof address !== 'string' || checkI2pName(address.toLowerCase()) !== undefined) return false;
  return port === undefined || isValidPort(port);
}

/** Creates the `i2p` connector over one SAM session. */
export function createI2pConnector(options: I2pConnectorOptions): I2pConnector {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_I2P_CONNECT_TIMEOUT_MS;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? DEFAULT_I2P_LOOKUP_TIMEOUT_MS;
  const source = options.session;
  const factory = typeof source === 'function' ? source : undefined;
  let current: SamSession | undefined = typeof source === 'function' ? undefined : source;
  let pending: Promise<SamSession> | undefined;
  let closed = false;

  /** The live session, creating it through the factory when there is none (one creation at a time). */
  function session(signal: AbortSignal | undefined): Promise<SamSession> {
    if (current !== undefined && !current.isClosed) return Promise.resolve(current);
    if (factory === undefined) {
      return Promise.reject(
        new I2pSessionError(`the SAM session ${current?.id ?? ''} of the i2p connector has ended`),
      );
    }
    pending ??= factory().then(
      (created) => {
        pending = undefined;
        if (closed) {
          void created.close();
          throw new I2pSessionError('the i2p connector was closed while its SAM session was being created');
        }
        current = created;
        return created;
      },
      (error: unknown) => {
        pending = undefined;
        throw new I2pSessionError(
          `cannot create the SAM session for outgoing I2P streams: ${(error as Error).message}`,
          { cause: error },
        );
      },
    );
    // Creation goes on for later dials even if this one gives up; its failure is reported to those waiting.
    pending.catch(() => undefined);
    return raceAbort(pending, signal, 'waiting for the I2P SAM session');
  }

  async function resolve(active: SamSession, address: string, signal: AbortSignal | undefined) {
    try {
      return await active.client.lookup(address, { signal, timeoutMs: lookupTimeoutMs });
    } catch (error) {
      if (error instanceof SamInvalidKeyError) throw new I2pNameNotFoundError(address, { cause: error });
      throw error;
    }
  }

  return {
    name: 'i2p',
    anonymizing: true,
    get session() {
      return current;
    },
    canDial: isI2pHint,
    prepare(abort: AbortOptions = {}) {
      if (closed) return Promise.reject(new I2pSessionError('the i2p connector is closed'));
      return session(combineSignals(abort, 'creating the I2P SAM session'));
    },
    async connect(hint: ConnectionHint, dial: ConnectOptions = {}): Promise<Duplex> {
      if (!isI2pHint(hint)) throw new TypeError(`the i2p connector cannot dial ${describeHint(hint)}`);
      const what = `I2P connection to i2p:${hint.address}${hint.port === undefined ? '' : `:${hint.port}`}`;
      throwIfAborted(dial.signal, what);
      if (closed) throw new I2pSessionError(`${what}: the i2p connector is closed`);
      const timeoutMs = dial.timeoutMs ?? connectTimeoutMs;
      const signal = combineSignals({ signal: dial.signal, timeoutMs }, what);
      try {
        const active = await session(signal);
        const destination = await resolve(active, hint.address.toLowerCase(), signal);
        return await active.connect(destination, { signal, timeoutMs, toPort: hint.port });
      } catch (error) {
        // A deadline or abort inside a step names that step; say which dial it was.
        if (error instanceof AbortError && !error.message.startsWith(what)) {
          throw new AbortError(`${what}: ${error.message}`, { cause: error });
        }
        throw error;
      }
    },
    async close() {
      closed = true;
      const own = factory !== undefined ? current : undefined;
      current = undefined;
      await own?.close();
    },
  };
}
