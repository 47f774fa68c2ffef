/**
 * The data phase of a SAM STREAM connection as a Node.js Duplex.
 *
 * After `STREAM STATUS RESULT=OK` (and, for ACCEPT, the peer's destination line) the SAM TCP connection carries
 * the I2P stream's bytes verbatim (SAM v3 spec, "STREAM CONNECT"/"STREAM ACCEPT"). Bytes that arrived in the
 * same TCP chunk as the status line were already read by the control-phase parser; this wrapper emits them
 * first, and it also carries over an end-of-stream that was seen during the control phase, so the new owner
 * never loses data or the `end` event (which handing back the raw socket after `unshift` cannot guarantee).
 *
 * @module
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

/** A bidirectional I2P stream over a SAM connection. */
export class SamStream extends Duplex {
  /** The peer's public destination (I2P base64), when known (accepted streams; the target for connects). */
  readonly remoteDestination: string | undefined;
  /** The I2CP ports from SAM 3.2+ peer lines, when sent. */
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly #socket: Socket;

  /**
   * @param socket - the SAM TCP connection, with no other listeners left on it.
   * @param head - bytes already read past the last control line.
   * @param ended - whether the socket already signalled end-of-stream during the control phase.
   */
  constructor(
    socket: Socket,
    head: Uint8Array,
    ended: boolean,
    peer: { destination?: string; fromPort?: number; toPort?: number } = {},
  ) {
    // Like a net.Socket: once the peer has finished sending, our side ends too (SAM closes the whole stream).
    super({ allowHalfOpen: false });
    this.#socket = socket;
    this.remoteDestination = peer.destination;
    this.fromPort = peer.fromPort;
    this.toPort = peer.toPort;
    if (head.length > 0) this.push(head);
    if (ended) {
      this.push(null);
    } else {
      socket.on('data', (chunk: Buffer) => {
        if (!this.push(chunk)) socket.pause();
      });
      socket.on('end', () => this.push(null));
    }
    socket.on('error', (error) => this.destroy(error));
    // A clean close keeps what was received readable (destroying here would drop unread data); only a
    // connection that vanished without an end-of-stream is reported as an end, so readers never hang.
    socket.on('close', () => {
      if (!this.destroyed) this.push(null);
    });
    socket.on('timeout', () => this.emit('timeout'));
    socket.pause();
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (this.#socket.destroyed || this.#socket.writableEnded) {
      callback();
      return;
    }
    this.#socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#socket.destroy();
    callback(error);
  }

  /** Like `net.Socket#setTimeout`: emits `timeout` after `ms` of inactivity on the underlying connection. */
  setTimeout(ms: number, callback?: () => void): this {
    this.#socket.setTimeout(ms);
    if (callback) this.once('timeout', callback);
    return this;
  }

  /** Like `net.Socket#setNoDelay` (set by default). */
  setNoDelay(noDelay = true): this {
    this.#socket.setNoDelay(noDelay);
    return this;
  }

  /** Like `net.Socket#setKeepAlive`, for the local TCP connection to the SAM bridge. */
  setKeepAlive(enable = false, initialDelay = 0): this {
    this.#socket.setKeepAlive(enable, initialDelay);
    return this;
  }
}
