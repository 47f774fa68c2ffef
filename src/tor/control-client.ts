/**
 * A Tor control-port client (control-spec sections 2-4) over any duplex byte stream (a TCP or unix socket).
 *
 * Commands are written at once and matched to replies in order (Tor answers in order); events (6xx replies) go to
 * their subscribers, and the client keeps Tor's SETEVENTS set equal to the union of the subscribed names. A call
 * that is aborted or times out rejects at once and its reply, when it arrives, is dropped. When the connection
 * ends or fails, every pending call rejects with {@link TorConnectionClosedError}.
 *
 * @module
 */
import type { Duplex } from 'node:stream';
import { type AbortOptions, combineSignals, raceAbort, throwIfAborted } from '../util/abort.js';
import { TorConnectionClosedError, TorControlError, TorProtocolError } from './errors.js';
import { type ControlReply, eventName, ReplyParser, type ReplyParserLimits } from './reply-parser.js';

/** Receives one asynchronous event (a 650 reply). */
export type TorEventListener = (event: ControlReply) => void;

/** Options of {@link TorControlClient}. */
export interface TorControlClientOptions extends ReplyParserLimits {
  /** Called when an event listener throws; by default the error is rethrown outside the client (uncaught). */
  onListenerError?: (error: unknown, event: ControlReply) => void;
}

/** An active event subscription. */
export interface TorEventSubscription {
  /** Stops delivering events to the listener and shrinks Tor's SETEVENTS set if no one else needs them. */
  unsubscribe(options?: AbortOptions): Promise<void>;
}

interface PendingCall {
  readonly keyword: string;
  settled: boolean;
  resolve(reply: ControlReply): void;
  reject(error: Error): void;
}

/** A control connection: ordered request/reply, event dispatch, failure propagation. */
export class TorControlClient {
  private readonly socket: Duplex;
  private readonly parser: ReplyParser;
  private readonly onListenerError: TorControlClientOptions['onListenerError'];
  private readonly pending: PendingCall[] = [];
  private readonly listeners = new Map<string, Set<TorEventListener>>();
  private closeError: TorConnectionClosedError | undefined;
  private readonly closedPromise: Promise<TorConnectionClosedError>;
  private resolveClosed!: (error: TorConnectionClosedError) => void;

  /** Wraps a connected socket. The client owns it from now on. */
  constructor(socket: Duplex, options: TorControlClientOptions = {}) {
    this.socket = socket;
    this.parser = new ReplyParser(options);
    this.onListenerError = options.onListenerError;
    this.closedPromise = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: Error) =>
      this.fail(
        new TorConnectionClosedError(`the Tor control connection failed: ${error.message}`, { cause: error }),
      ),
    );
    socket.on('close', () => this.fail(new TorConnectionClosedError('Tor closed the control connection')));
    socket.on('end', () => this.fail(new TorConnectionClosedError('Tor closed the control connection')));
  }

  /** True once the connection has ended, failed or been closed. */
  get isClosed(): boolean {
    return this.closeError !== undefined;
  }

  /** Resolves (never rejects) with the reason once the connection is closed. */
  get closed(): Promise<TorConnectionClosedError> {
    return this.closedPromise;
  }

  /**
   * Sends one command line (without CRLF) and resolves with its reply. Rejects with {@link TorControlError} for a
   * 4xx/5xx status, {@link TorConnectionClosedError} if the connection dies first, `AbortError` on abort/timeout.
   * Arguments must already be quoted (see `quoteString`); CR and LF are refused.
   */
  request(command: string, options: AbortOptions = {}): Promise<ControlReply> {
    const keyword = /^[A-Za-z_+]*/.exec(command)![0].toUpperCase() || command.slice(0, 20);
    if (/[\r\n]/.test(command)) {
      return Promise.reject(
        new RangeError(`a control command must be a single line, got ${keyword} with CR/LF`),
      );
    }
    let signal: AbortSignal | undefined;
    try {
      signal = combineSignals(options, `Tor control ${keyword}`);
      throwIfAborted(signal, `Tor control ${keyword}`);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.closeError) return Promise.reject(this.closeError);
    const reply = new Promise<ControlReply>((resolve, reject) => {
      this.pending.push({ keyword, settled: false, resolve, reject });
    });
    const call = this.pending[this.pending.length - 1]!;
    this.socket.write(`${command}\r\n`);
    return raceAbort(reply, signal, `Tor control ${keyword}`).catch((error: unknown) => {
      call.settled = true; // its reply, if it still comes, is dropped
      throw error;
    });
  }

  /**
   * Delivers events named `names` (e.g. `STATUS_CLIENT`, `HS_DESC`) to `listener`, first asking Tor for them with
   * SETEVENTS (control-spec 3.4). The listener is registered before the command is sent, so no event is missed.
   */
  async subscribe(
    names: string | readonly string[],
    listener: TorEventListener,
    options: AbortOptions = {},
  ): Promise<TorEventSubscription> {
    const list = (typeof names === 'string' ? [names] : [...names]).map((n) => n.toUpperCase());
    for (const name of list) {
      if (!/^[A-Z_]+$/.test(name)) throw new RangeError(`bad Tor event name ${JSON.stringify(name)}`);
    }
    const added: string[] = [];
    for (const name of list) {
      let set = this.listeners.get(name);
      if (!set) {
        set = new Set();
        this.listeners.set(name, set);
      }
      if (!set.has(listener)) {
        set.add(listener);
        added.push(name);
      }
    }
    try {
      await this.syncEvents(options);
    } catch (error) {
      this.removeListener(added, listener);
      throw error;
    }
    let active = true;
    return {
      unsubscribe: async (opts: AbortOptions = {}): Promise<void> => {
        if (!active) return;
        active = false;
        this.removeListener(added, listener);
        if (!this.closeError) await this.syncEvents(opts);
      },
    };
  }

  /** Closes the connection (no QUIT needed); pending calls reject. Resolves once the socket has closed. Idempotent. */
  async close(): Promise<void> {
    if (!this.closeError) {
      this.fail(new TorConnectionClosedError('the Tor control connection was closed by us'));
    }
    if (!this.socket.destroyed || !(this.socket as { closed?: boolean }).closed) {
      const closed = new Promise<void>((resolve) => this.socket.once('close', () => resolve()));
      this.socket.destroy();
      if (!(this.socket as { closed?: boolean }).closed) await closed;
    }
  }

  private removeListener(names: readonly string[], listener: TorEventListener): void {
    for (const name of names) {
      const set = this.listeners.get(name);
      set?.delete(listener);
      if (set?.size === 0) this.listeners.delete(name);
    }
  }

  private async syncEvents(options: AbortOptions): Promise<void> {
    await this.request(['SETEVENTS', ...[...this.listeners.keys()].sort()].join(' '), options);
  }

  private onData(chunk: Buffer): void {
    if (this.closeError) return;
    let replies: ControlReply[];
    try {
      replies = this.parser.push(chunk);
    } catch (error) {
      this.fail(
        new TorConnectionClosedError(`bad data on the Tor control connection: ${String(error)}`, {
          cause: error,
        }),
      );
      this.socket.destroy();
      return;
    }
    for (const reply of replies) {
      if (reply.isEvent) {
        this.dispatch(reply);
        continue;
      }
      const call = this.pending.shift();
      if (!call) {
        const error = new TorProtocolError(`Tor sent a reply (${reply.status}) to no command`);
        this.fail(new TorConnectionClosedError(error.message, { cause: error }));
        this.socket.destroy();
        return;
      }
      if (call.settled) continue;
      call.settled = true;
      if (reply.status >= 400) {
        const last = reply.lines[reply.lines.length - 1]!;
        call.reject(new TorControlError(reply.status, call.keyword, last.text));
      } else {
        call.resolve(reply);
      }
    }
  }

  private dispatch(event: ControlReply): void {
    const listeners = this.listeners.get(eventName(event));
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        if (this.onListenerError) this.onListenerError(error, event);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  }

  private fail(error: TorConnectionClosedError): void {
    if (this.closeError) return;
    this.closeError = error;
    for (const call of this.pending.splice(0)) {
      if (call.settled) continue;
      call.settled = true;
      call.reject(
        new TorConnectionClosedError(`${error.message} while ${call.keyword} was pending`, { cause: error }),
      );
    }
    this.resolveClosed(error);
  }
}
