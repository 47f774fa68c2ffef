/**
 * A SAM v3 STREAM session: one I2P destination serving many streams.
 *
 * The session lives as long as its control connection (SAM v3 "SESSION CREATE": closing that socket destroys
 * the session). Each STREAM CONNECT / ACCEPT / FORWARD opens a further connection to the bridge, which after a
 * `RESULT=OK` status becomes the stream itself (or, for FORWARD, the forwarding's lifeline).
 *
 * @module
 */
import { checkPort } from '../endpoints/host.js';
import { type AbortOptions, abortErrorOf, combineSignals, throwIfAborted } from '../util/abort.js';
import { b32AddressOf, publicDestinationOf } from './destination.js';
import { SamConnectionClosedError, SamProtocolError } from './errors.js';
import type { SamClient } from './sam-client.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  type SamConnection,
} from './sam-connection.js';
import { SamForward } from './sam-forward.js';
import { runAcceptLoop, type SamListener, type SamListenOptions } from './sam-listener.js';
import { formatSamCommand } from './sam-message.js';
import { expectOk, parsePeerLine, type SamReply } from './sam-replies.js';
import type { SamStream } from './sam-stream.js';

/**
 * Default deadline for STREAM CONNECT. i2pd answers OK before the peer is reached (so the caller's first read
 * needs its own deadline); Java I2P answers once connected, which can take a minute on the real network.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 90_000;

/** Options of {@link SamSession.connect}. */
export interface SamConnectOptions extends AbortOptions {
  /** I2CP source/destination ports (sent only when the bridge speaks SAM 3.2+). */
  fromPort?: number;
  toPort?: number;
}

/** Options of {@link SamSession.forward}. */
export interface SamForwardOptions extends AbortOptions {
  /** Local host to forward to (default `127.0.0.1`). */
  host?: string;
  /** With `true` the forwarded connections do not start with the peer's destination line (default false). */
  silent?: boolean;
}

/** A command waiting for its reply on the control connection. */
interface ControlWaiter {
  gaveUp: boolean;
  settle(reply: SamReply | undefined, error: Error | undefined): void;
}

/** An open SAM STREAM session. Create with `SamClient.createSession`. */
export class SamSession {
  /** The session nickname on the bridge. */
  readonly id: string;
  /** The private-key blob of the session's destination (secret: persist with `writePrivateKeyFile`). */
  readonly privateKey: string;
  /** The public destination (I2P base64) peers connect to. */
  readonly destination: string;
  /** The `.b32.i2p` address of {@link destination}. */
  readonly b32Address: string;
  /** Settles when the session has ended (closed by us, or its control connection was lost). */
  readonly closed: Promise<void>;
  readonly #client: SamClient;
  readonly #control: SamConnection;
  readonly #pending = new Set<{ destroy(): void }>();
  readonly #waiters: ControlWaiter[] = [];
  #ended = false;
  #markEnded!: () => void;

  /** @internal Created by `SamClient.createSession` once SESSION STATUS says OK. */
  constructor(client: SamClient, control: SamConnection, id: string, privateKey: string) {
    this.#client = client;
    this.#control = control;
    this.id = id;
    this.privateKey = privateKey;
    this.destination = publicDestinationOf(privateKey, `SESSION STATUS DESTINATION of ${id}`);
    this.b32Address = b32AddressOf(this.destination);
    this.closed = new Promise((resolve) => {
      this.#markEnded = resolve;
    });
    control.onClose(() => this.#end());
    void this.#drainControl();
  }

  /** The client (bridge) this session lives on; stateless commands such as NAMING LOOKUP go through it. */
  get client(): SamClient {
    return this.#client;
  }

  /** The SAM version negotiated on the control connection. */
  get version(): string {
    return this.#control.version;
  }

  /** True once the session has ended. */
  get isClosed(): boolean {
    return this.#ended;
  }

  /**
   * `STREAM CONNECT`: opens a stream to `target`, a base64 destination or an I2P host name (`*.b32.i2p`,
   * `*.i2p`, resolved first with NAMING LOOKUP). Default deadline {@link DEFAULT_CONNECT_TIMEOUT_MS}.
   *
   * @throws SamCantReachPeerError, SamInvalidKeyError, SamInvalidIdError (session gone), AbortError.
   */
  async connect(target: string, options: SamConnectOptions = {}): Promise<SamStream> {
    this.#assertOpen('STREAM CONNECT');
    const signal = combineSignals(
      { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      `I2P connect via session ${this.id}`,
    );
    const destination = /\.i2p$/i.test(target) ? await this.#client.lookup(target, { signal }) : target;
    const connection = await this.#open(signal);
    try {
      const ports = connection.atLeast32 ? { FROM_PORT: options.fromPort, TO_PORT: options.toPort } : {};
      await connection.command(
        formatSamCommand('STREAM', 'CONNECT', {
          ID: this.id,
          DESTINATION: destination,
          SILENT: false,
          ...ports,
        }),
        'stream-status',
        'STREAM CONNECT',
        { signal },
      );
      return connection.release({ destination });
    } catch (error) {
      connection.destroy();
      throw error;
    } finally {
      this.#pending.delete(connection);
    }
  }

  /**
   * `STREAM ACCEPT`: waits for one incoming stream. The returned stream's `remoteDestination` is the peer.
   * Only the ACCEPT's status reply has a default deadline; the wait for a peer is bounded only by the
   * caller's `signal`/`timeoutMs`.
   *
   * @throws SamAlreadyAcceptingError (SAM 3.1, another ACCEPT pending), SamInvalidIdError, AbortError,
   *   SamConnectionClosedError when the session ends meanwhile.
   */
  async accept(options: AbortOptions = {}): Promise<SamStream> {
    this.#assertOpen('STREAM ACCEPT');
    const signal = combineSignals(options, `I2P accept on session ${this.id}`);
    const connection = await this.#open(signal);
    try {
      await connection.command(
        formatSamCommand('STREAM', 'ACCEPT', { ID: this.id, SILENT: false }),
        'stream-status',
        'STREAM ACCEPT',
        {
          signal: combineSignals(
            { signal, timeoutMs: this.#client.bridge.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS },
            `SAM STREAM ACCEPT on session ${this.id}`,
          ),
        },
      );
      const peer = parsePeerLine(await connection.readLine('STREAM ACCEPT (waiting for a peer)', { signal }));
      return connection.release(peer);
    } catch (error) {
      connection.destroy();
      throw error;
    } finally {
      this.#pending.delete(connection);
    }
  }

  /**
   * Runs an accept loop that keeps ACCEPTs pending (one at a time on SAM 3.1) and hands each incoming stream
   * to `onStream`. The loop ends with `close()`, the signal, or the session.
   */
  listen(onStream: (stream: SamStream) => void, options: SamListenOptions = {}): SamListener {
    this.#assertOpen('STREAM ACCEPT');
    const width = this.#control.atLeast32 ? (options.concurrency ?? 1) : 1;
    return runAcceptLoop(
      (signal) => this.accept({ signal }),
      () => this.#ended,
      width,
      onStream,
      options,
    );
  }

  /**
   * `STREAM FORWARD`: asks the bridge to connect to `host:port` for every incoming stream (SAM v3 "STREAM
   * FORWARD"). Each forwarded connection starts with the peer's destination line unless `silent`; read it with
   * `acceptForwarded`. Forwarding stops when the returned handle is closed or the session ends.
   */
  async forward(port: number, options: SamForwardOptions = {}): Promise<SamForward> {
    this.#assertOpen('STREAM FORWARD');
    checkPort(port, `STREAM FORWARD on session ${this.id}: port`);
    const signal = combineSignals(
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.#client.bridge.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      },
      `SAM STREAM FORWARD on session ${this.id}`,
    );
    const connection = await this.#open(signal);
    try {
      await connection.command(
        formatSamCommand('STREAM', 'FORWARD', {
          ID: this.id,
          PORT: port,
          HOST: options.host ?? '127.0.0.1',
          SILENT: options.silent ?? false,
        }),
        'stream-status',
        'STREAM FORWARD',
        { signal },
      );
    } catch (error) {
      connection.destroy();
      this.#pending.delete(connection);
      throw error;
    }
    const forward = new SamForward(connection);
    void forward.closed.then(() => this.#pending.delete(forward));
    this.#pending.delete(connection);
    this.#pending.add(forward);
    return forward;
  }

  /**
   * `NAMING LOOKUP` on the session's own control connection, so that `ME` resolves to this session's
   * destination (SAM v3 "NAMING LOOKUP"). Other names work as with `SamClient.lookup`.
   *
   * @throws SamInvalidKeyError for an unknown name; SamConnectionClosedError when the session ends; AbortError.
   */
  async lookup(name: string, options: AbortOptions = {}): Promise<string> {
    if (!/^[^\s"\\=]+$/.test(name))
      throw new RangeError(`I2P name to look up is malformed: ${JSON.stringify(name)}`);
    const signal = combineSignals(
      { signal: options.signal, timeoutMs: options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS },
      `SAM NAMING LOOKUP ${name}`,
    );
    const command = `NAMING LOOKUP ${name}`;
    const reply = expectOk(
      await this.#controlCommand(formatSamCommand('NAMING', 'LOOKUP', { NAME: name }), command, signal),
      'naming-reply',
      command,
    );
    if (!reply.value) throw new SamProtocolError(`NAMING REPLY for ${name} has no VALUE`);
    return reply.value;
  }

  /**
   * Sends a command on the control connection; replies arrive in command order, so each waiter takes the next
   * reply. A waiter that gave up stays queued (marked) so that its late reply is not given to the next one.
   */
  #controlCommand(line: string, what: string, signal: AbortSignal | undefined): Promise<SamReply> {
    this.#assertOpen(what);
    throwIfAborted(signal, `SAM ${what}`);
    return new Promise<SamReply>((resolve, reject) => {
      const onAbort = (): void => {
        waiter.gaveUp = true;
        if (signal) reject(abortErrorOf(signal, `SAM ${what}`));
      };
      const waiter: ControlWaiter = {
        gaveUp: false,
        settle: (reply, error) => {
          signal?.removeEventListener('abort', onAbort);
          if (waiter.gaveUp) return;
          if (error) reject(error);
          else resolve(reply!);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#control.write(line);
    });
  }

  /** Ends the session: closes its control connection, pending ACCEPTs and forwards. Idempotent. */
  close(): Promise<void> {
    this.#control.write('QUIT\n');
    this.#control.destroy();
    this.#end();
    return this.closed;
  }

  async #open(signal: AbortSignal | undefined): Promise<SamConnection> {
    const connection = await this.#client.open({ signal });
    if (this.#ended) {
      connection.destroy();
      this.#assertOpen('the stream command');
    }
    this.#pending.add(connection);
    return connection;
  }

  #assertOpen(what: string): void {
    if (this.#ended) throw new SamConnectionClosedError(`before ${what}: session ${this.id} has ended`);
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const item of this.#pending) item.destroy();
    this.#pending.clear();
    for (const waiter of this.#waiters.splice(0)) {
      waiter.settle(
        undefined,
        new SamConnectionClosedError(`before the reply: session ${this.id} has ended`),
      );
    }
    this.#markEnded();
  }

  /** Reads (and answers PINGs on) the control connection until it closes. */
  async #drainControl(): Promise<void> {
    try {
      for (;;) {
        try {
          const reply = await this.#control.readReply(`session ${this.id} control`);
          this.#waiters.shift()?.settle(reply, undefined);
        } catch (error) {
          // An unknown line does not end the session; a closed or overflowing connection does.
          if (!(error instanceof SamProtocolError)) throw error;
          this.#waiters.shift()?.settle(undefined, error);
        }
      }
    } catch {
      // The control connection is gone: the session is over.
    } finally {
      this.#control.destroy();
      this.#end();
    }
  }
}
