/**
 * One TCP connection to a SAM v3 bridge: the thin I/O adapter around the sans-IO line buffer and parser.
 *
 * Every SAM connection starts with `HELLO VERSION` (SAM v3 spec, "Version negotiation"); after that it either
 * stays a control connection (SESSION CREATE, NAMING LOOKUP, DEST GENERATE) or, after a successful STREAM
 * CONNECT/ACCEPT/FORWARD, becomes the data stream itself. {@link SamConnection.release} hands the socket over
 * for that, with any bytes already read past the status line pushed back in.
 *
 * @module
 */
import { connect, type Socket } from 'node:net';
import { type AbortOptions, abortErrorOf, combineSignals, throwIfAborted } from '../util/abort.js';
import {
  SamConnectionClosedError,
  SamLineTooLongError,
  SamNoVersionError,
  SamProtocolError,
} from './errors.js';
import { DEFAULT_MAX_LINE_BYTES, SamLineBuffer } from './sam-line-buffer.js';
import { formatSamCommand } from './sam-message.js';
import {
  expectOk,
  parseSamReply,
  SAM_MAX_VERSION,
  SAM_MIN_VERSION,
  type SamReply,
  type SamReplyKind,
} from './sam-replies.js';
import { SamStream } from './sam-stream.js';

/** Where the SAM bridge listens and how to talk to it. */
export interface SamBridgeOptions {
  /** SAM host (default `127.0.0.1`). */
  host?: string;
  /** SAM TCP port (default 7656). */
  port?: number;
  /** Cap on one reply line in bytes (default 16 KiB). */
  maxLineBytes?: number;
  /** SAM 3.2 authentication (`HELLO ... USER= PASSWORD=`), if the bridge requires it. */
  auth?: { user: string; password: string };
  /**
   * The lowest SAM version to accept (default `3.1`); ask for `3.2` to require concurrent ACCEPTs and ports.
   * A bridge that has none from here to 3.3 answers NOVERSION.
   */
  minVersion?: '3.1' | '3.2' | '3.3';
  /** Default deadline for connecting + HELLO, and for short commands (default 15 000 ms). */
  commandTimeoutMs?: number;
}

/** The default SAM port. */
export const DEFAULT_SAM_PORT = 7656;
/** Default deadline for connect + HELLO and short commands. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 15_000;

/** Default deadline for NAMING LOOKUP: a `.b32.i2p` lookup may need a LeaseSet fetched from the network. */
export const DEFAULT_LOOKUP_TIMEOUT_MS = 60_000;

/** A connected, HELLO-negotiated SAM connection. */
export class SamConnection {
  /** The SAM version the bridge chose (`3.1` on i2pd 2.45). */
  readonly version: string;
  readonly #socket: Socket;
  readonly #buffer: SamLineBuffer;
  #failure: Error | undefined;
  #ended = false;
  #wake: (() => void) | undefined;
  #released = false;

  private constructor(socket: Socket, buffer: SamLineBuffer, version: string) {
    this.#socket = socket;
    this.#buffer = buffer;
    this.version = version;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('close', this.#onEnd);
    socket.on('error', this.#onError);
  }

  /**
   * Connects to the bridge and negotiates a version between {@link SAM_MIN_VERSION} and
   * {@link SAM_MAX_VERSION}.
   *
   * @throws SamNoVersionError when the bridge speaks none of them; SamConnectionClosedError when the
   *   connection fails; AbortError on abort or timeout.
   */
  static async open(bridge: SamBridgeOptions, options: AbortOptions = {}): Promise<SamConnection> {
    const host = bridge.host ?? '127.0.0.1';
    const port = bridge.port ?? DEFAULT_SAM_PORT;
    const what = `SAM HELLO to ${host}:${port}`;
    const signal = combineSignals(
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? bridge.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      },
      what,
    );
    throwIfAborted(signal, what);
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const connection = new SamConnection(
      socket,
      new SamLineBuffer(bridge.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES),
      '',
    );
    try {
      const min = bridge.minVersion ?? SAM_MIN_VERSION;
      const params: Record<string, string> = { MIN: min, MAX: SAM_MAX_VERSION };
      if (bridge.auth) Object.assign(params, { USER: bridge.auth.user, PASSWORD: bridge.auth.password });
      connection.write(formatSamCommand('HELLO', 'VERSION', params));
      const reply = await connection.readReply('HELLO', { signal });
      if (reply.kind === 'hello' && reply.result === 'NOVERSION') {
        throw new SamNoVersionError(min, SAM_MAX_VERSION, reply.message);
      }
      const version = expectOk(reply, 'hello', 'HELLO').version ?? '';
      if (!/^3\.\d+$/.test(version) || Number(version.slice(2)) < Number(min.slice(2))) {
        throw new SamProtocolError(`SAM bridge chose unsupported version ${JSON.stringify(version)}`);
      }
      (connection as { version: string }).version = version;
      return connection;
    } catch (error) {
      connection.destroy();
      if (error instanceof SamConnectionClosedError) {
        throw new SamConnectionClosedError(
          `before HELLO completed (is a SAM bridge listening on ${host}:${port}?)`,
          {
            cause: error.cause ?? error,
          },
        );
      }
      throw error;
    }
  }

  /**
   * Wraps a socket on which the bridge will send lines without a HELLO first: a connection the bridge opened
   * to us for STREAM FORWARD, whose first line is the peer's destination.
   */
  static adopt(socket: Socket, maxLineBytes = DEFAULT_MAX_LINE_BYTES): SamConnection {
    return new SamConnection(socket, new SamLineBuffer(maxLineBytes), '');
  }

  /** True once the bridge chose SAM 3.2 or later (concurrent ACCEPTs, ports, PING). */
  get atLeast32(): boolean {
    return Number(this.version.slice(2)) >= 2;
  }

  /**
   * Sends one command line and waits for its reply, which must be of `kind` with `RESULT=OK`. PINGs arriving
   * meanwhile are answered.
   *
   * @throws the typed SamError for a non-OK result; AbortError on abort (the connection is then destroyed).
   */
  async command<K extends SamReplyKind>(
    line: string,
    kind: K,
    commandName: string,
    options: AbortOptions = {},
  ): Promise<Extract<SamReply, { kind: K }>> {
    this.#socket.write(line);
    const reply = await this.readReply(commandName, options);
    return expectOk(reply, kind, commandName);
  }

  /** Reads the next reply that is not a PING (PINGs are answered with PONG). */
  async readReply(what: string, options: AbortOptions = {}): Promise<SamReply> {
    for (;;) {
      const reply = parseSamReply(await this.readLine(what, options));
      if (reply.kind === 'ping') {
        this.#socket.write(`PONG ${reply.text}\n`);
        continue;
      }
      if (reply.kind === 'pong') continue;
      return reply;
    }
  }

  /**
   * Reads the next complete line.
   *
   * @throws SamConnectionClosedError when the connection ends first; SamLineTooLongError past the cap;
   *   AbortError on abort or timeout (the connection is then destroyed, as its state is unknown).
   */
  async readLine(what: string, options: AbortOptions = {}): Promise<string> {
    const signal = combineSignals(options, `waiting for the reply to SAM ${what}`);
    throwIfAborted(signal, `SAM ${what}`);
    for (;;) {
      const line = this.#takeLineOrFail(what);
      if (line !== undefined) return line;
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          this.#wake = undefined;
          this.destroy();
          if (signal) reject(abortErrorOf(signal, `SAM ${what}`));
        };
        this.#wake = () => {
          this.#wake = undefined;
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  /**
   * Stops reading replies and hands over the connection as the data stream: bytes read past the last reply
   * (and an end-of-stream already seen) are carried over into the returned {@link SamStream}.
   */
  release(peer: { destination?: string; fromPort?: number; toPort?: number } = {}): SamStream {
    if (this.#released) throw new Error('SAM connection already released');
    this.#released = true;
    const socket = this.#socket;
    socket.pause();
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onEnd);
    socket.off('error', this.#onError);
    return new SamStream(socket, this.#buffer.takeRest(), this.#ended, peer);
  }

  /** Registers a callback for when the connection ends or fails (used to notice a session's end). */
  onClose(callback: (error: Error | undefined) => void): void {
    this.#socket.once('close', () => callback(this.#failure));
  }

  /** Writes raw text (for fire-and-forget lines such as `QUIT`). */
  write(text: string): void {
    if (!this.#socket.destroyed) this.#socket.write(text);
  }

  /** Closes the connection at once. */
  destroy(): void {
    this.#socket.destroy();
  }

  /** True once the socket is closed or destroyed. */
  get closed(): boolean {
    return this.#socket.destroyed;
  }

  #takeLineOrFail(what: string): string | undefined {
    const line = this.#buffer.takeLine();
    if (line !== undefined) return line;
    if (this.#failure instanceof SamLineTooLongError) throw this.#failure;
    if (this.#failure) {
      throw new SamConnectionClosedError(`before the reply to ${what} arrived`, { cause: this.#failure });
    }
    return undefined;
  }

  readonly #onData = (chunk: Buffer): void => {
    try {
      this.#buffer.push(chunk);
    } catch (error) {
      this.#failure = error as Error;
      this.#socket.destroy();
    }
    this.#wake?.();
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#failure ??= new SamConnectionClosedError('by the bridge');
    this.#wake?.();
  };

  readonly #onError = (error: Error): void => {
    this.#failure ??= error;
    this.#wake?.();
  };
}
