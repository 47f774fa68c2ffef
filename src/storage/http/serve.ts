/**
 * Serving an HTTP(S) server either on a TCP address of its own or on the connections another `net.Server`
 * accepts (the node's `tub.port` listeners, where onion services and I2P tunnels deliver): what the storage server
 * and the introducer share.
 *
 * @module
 */
import { once } from 'node:events';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';

/** Where to serve: a TCP address, or a `net.Server` whose `connection` events are served. */
export type ServeTarget = { host: string; port: number } | NetServer;

/** A served server. */
export interface Served {
  /** The bound TCP port when listening on an address of its own. */
  readonly port: number | undefined;
  /** Stops listening (or taking the other server's connections) and closes every connection. */
  close(): Promise<void>;
}

/** Starts serving `server` at `target`. */
export async function serveOn(server: HttpServer, target: ServeTarget): Promise<Served> {
  if ('host' in target) {
    server.listen(target.port, target.host);
    await once(server, 'listening');
    return {
      port: (server.address() as AddressInfo).port,
      async close() {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      },
    };
  }
  const forward = (socket: unknown): void => {
    server.emit('connection', socket);
  };
  target.on('connection', forward);
  return {
    port: undefined,
    async close() {
      target.off('connection', forward);
      server.closeAllConnections();
    },
  };
}
