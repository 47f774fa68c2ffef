/**
 * The node's `tub.port` listeners (Tahoe-LAFS `docs/configuration.rst`, `[node] tub.port`): one TCP server per
 * descriptor, every connection handed to one hub that the storage server (or introducer) serves. `listen:tor`
 * and `listen:i2p` listen on loopback, where the onion service or I2P tunnel delivers connections. An unset
 * `tub.port` reuses the port remembered in `NODEDIR/client.port` or allocates one and remembers it, as Tahoe does.
 *
 * @module
 */
import { EventEmitter, once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer, type Server } from 'node:net';
import type { NodeSettings } from '../../config/types.js';
import type { ListenDescriptor } from '../../endpoints/types.js';
import { UnsupportedNodeSettingError } from './errors.js';

/** The listeners of a running node. */
export interface TubListener {
  /** Emits `connection` for every accepted socket: pass it as the `listen` of a storage server or introducer. */
  readonly hub: Server;
  /** The first plain TCP port (what `AUTO` in `tub.location` publishes), if any. */
  readonly tcpPort: number | undefined;
  /** The loopback port `listen:i2p` connections arrive at, if configured. */
  readonly i2pLocalPort: number | undefined;
  /** Stops every listener and destroys the connections they accepted. */
  close(): Promise<void>;
}

async function listenTcp(port: number, host: string | undefined, where: string): Promise<Server> {
  const server = createServer({ noDelay: true });
  server.listen({ port, host, exclusive: true });
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => {
        throw error;
      }),
    ]);
  } catch (error) {
    server.close();
    throw new UnsupportedNodeSettingError(
      where,
      `cannot listen on ${host ?? '*'}:${port}: ${(error as Error).message}`,
    );
  }
  return server;
}

async function rememberedDescriptor(portFile: string): Promise<number | undefined> {
  let text: string;
  try {
    text = (await readFile(portFile, 'utf8')).trim();
  } catch {
    return undefined;
  }
  const match = /^tcp:(\d{1,5})$/.exec(text);
  const port = match ? Number(match[1]) : 0;
  // A damaged file (a port out of range would make listen() throw; 0 would move the node on every start) is
  // treated like a missing one: a new port is allocated and written.
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Opens what `[node] tub.port` asks for; `undefined` for `tub.port = disabled`. */
export async function openTubListener(settings: NodeSettings): Promise<TubListener | undefined> {
  const tubPort = settings.node.tubPort;
  if (tubPort.kind === 'disabled') return undefined;
  const servers: Server[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const hub = new EventEmitter() as unknown as Server;
  let tcpPort: number | undefined;
  let i2pLocalPort: number | undefined;
  const accept = (server: Server): void => {
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      hub.emit('connection', socket);
    });
    servers.push(server);
  };
  const close = async (): Promise<void> => {
    await Promise.all(
      servers
        .map((s) => new Promise<void>((resolve) => s.close(() => resolve())))
        .concat([...sockets].map(async (socket) => void socket.destroy())),
    );
  };
  try {
    if (tubPort.kind === 'unset') {
      const remembered = await rememberedDescriptor(tubPort.portFile);
      const server = await listenTcp(remembered ?? 0, undefined, '[node] tub.port (unset)');
      tcpPort = (server.address() as AddressInfo).port;
      if (remembered === undefined) await writeFile(tubPort.portFile, `tcp:${tcpPort}\n`);
      accept(server);
    } else {
      for (const descriptor of tubPort.descriptors) {
        const opened = await openOne(descriptor, settings);
        accept(opened.server);
        if (opened.kind === 'tcp') tcpPort ??= (opened.server.address() as AddressInfo).port;
        if (opened.kind === 'i2p') i2pLocalPort = (opened.server.address() as AddressInfo).port;
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { hub, tcpPort, i2pLocalPort, close };
}

async function openOne(
  descriptor: ListenDescriptor,
  settings: NodeSettings,
): Promise<{ kind: 'tcp' | 'tor' | 'i2p'; server: Server }> {
  const where = `[node] tub.port = ${settings.node.tubPort.kind === 'listen' ? settings.node.tubPort.raw : ''}`;
  switch (descriptor.scheme) {
    case 'tcp': {
      const { port, interface: host } = descriptor as { port: number; interface?: string };
      return { kind: 'tcp', server: await listenTcp(port, host, where) };
    }
    case 'listen': {
      const transport = (descriptor as { transport: string }).transport;
      if (transport === 'tor') {
        const onion = settings.tor.onion;
        if (onion === undefined)
          throw new UnsupportedNodeSettingError(where, 'listen:tor needs [tor] onion = true');
        return { kind: 'tor', server: await listenTcp(onion.localPort, '127.0.0.1', where) };
      }
      if (settings.i2p.destination === undefined)
        throw new UnsupportedNodeSettingError(where, 'listen:i2p needs [i2p] dest = true');
      return { kind: 'i2p', server: await listenTcp(0, '127.0.0.1', where) };
    }
    default:
      throw new UnsupportedNodeSettingError(
        where,
        `lafs cannot listen on "${descriptor.scheme}:" descriptors; use tcp:PORT, listen:tor or listen:i2p`,
      );
  }
}
