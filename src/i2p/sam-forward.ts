/**
 * STREAM FORWARD support: the handle that keeps a forwarding alive, and the reader for the connections the
 * bridge then opens to the local server.
 *
 * SAM v3 "STREAM FORWARD": the bridge connects to `HOST:PORT` once per incoming I2P stream and (unless
 * `SILENT=true`) first writes the peer's destination line (`<base64> [FROM_PORT=n TO_PORT=n]\n`); the forwarding
 * lasts as long as the connection that sent the FORWARD command stays open.
 *
 * @module
 */
import type { Socket } from 'node:net';
import type { AbortOptions } from '../util/abort.js';
import { SamConnection } from './sam-connection.js';
import { parsePeerLine } from './sam-replies.js';
import type { SamStream } from './sam-stream.js';

/** A live STREAM FORWARD; incoming streams reach the local server until {@link SamForward.close}. */
export class SamForward {
  /** Settles when the forwarding has stopped (closed by us, or the bridge/session dropped it). */
  readonly closed: Promise<void>;
  readonly #connection: SamConnection;

  /** @internal Created by `SamSession.forward`. */
  constructor(connection: SamConnection) {
    this.#connection = connection;
    this.closed = new Promise((resolve) => connection.onClose(() => resolve()));
    // Nothing more is expected on this connection; read it only to notice its end.
    void connection.readReply('STREAM FORWARD').catch(() => connection.destroy());
  }

  /** Stops forwarding. Idempotent. */
  close(): Promise<void> {
    this.#connection.destroy();
    return this.closed;
  }

  /** Same as {@link close}, for the session's bookkeeping. */
  destroy(): void {
    this.#connection.destroy();
  }
}

/**
 * On the local server's side of a non-silent STREAM FORWARD: reads the peer's destination line from a freshly
 * accepted socket and returns the stream (its `remoteDestination` set; bytes after the line kept).
 *
 * @throws SamProtocolError when the first line is not a destination; SamConnectionClosedError; AbortError
 *   (the socket is then destroyed).
 */
export async function acceptForwarded(socket: Socket, options: AbortOptions = {}): Promise<SamStream> {
  const connection = SamConnection.adopt(socket);
  try {
    const peer = parsePeerLine(await connection.readLine('forwarded stream header', options));
    return connection.release(peer);
  } catch (error) {
    connection.destroy();
    throw error;
  }
}
