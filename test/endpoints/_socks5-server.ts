/**
 * A small SOCKS5 server for tests (RFC 1928 CONNECT, RFC 1929 username/password), listening on 127.0.0.1. It
 * records each request exactly as received and either refuses it with a chosen reply code or relays it to a
 * local port chosen by a routing table (so host names never need resolving).
 *
 * @module
 */
import net from 'node:net';

/** One CONNECT request as the server saw it. */
export interface SocksRequest {
  /** Authentication methods offered by the client. */
  methods: number[];
  /** RFC 1929 credentials, when the username/password method was used. */
  username?: string;
  password?: string;
  /** ATYP: 1 = IPv4, 3 = domain name, 4 = IPv6. */
  addressType: number;
  host: string;
  port: number;
}

/** How the server answers. */
export interface Socks5ServerOptions {
  /** The REP code for a request; 0 relays it via `route`. Default: 0. */
  reply?: (request: SocksRequest) => number;
  /** The local port a request is relayed to; `undefined` answers "host unreachable" (4). */
  route?: (request: SocksRequest) => number | undefined;
  /** Prefer username/password when offered (as Tor does). Default: true. */
  preferAuth?: boolean;
  /** Send the reply in single-byte writes, to exercise reassembly. */
  dribble?: boolean;
  /** Answer nothing after the greeting (for abort and timeout tests). */
  stall?: boolean;
  /** Answer the greeting with this SOCKS version instead of 5. */
  badVersion?: number;
}

/** A running test server. */
export interface Socks5Server {
  port: number;
  requests: SocksRequest[];
  close(): Promise<void>;
}

/** Reads exactly `n` bytes from a socket in paused mode. */
class ByteReader {
  #chunks: Buffer = Buffer.alloc(0);
  #waiters: (() => void)[] = [];
  #ended = false;
  constructor(socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.#chunks = Buffer.concat([this.#chunks, chunk]);
      for (const w of this.#waiters.splice(0)) w();
    });
    socket.on('close', () => {
      this.#ended = true;
      for (const w of this.#waiters.splice(0)) w();
    });
  }
  async read(n: number): Promise<Buffer> {
    while (this.#chunks.length < n) {
      if (this.#ended) throw new Error('closed');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    const out = this.#chunks.subarray(0, n);
    this.#chunks = this.#chunks.subarray(n);
    return out;
  }
  rest(): Buffer {
    return this.#chunks;
  }
}

async function serve(
  client: net.Socket,
  options: Socks5ServerOptions,
  requests: SocksRequest[],
): Promise<void> {
  const reader = new ByteReader(client);
  const write = async (bytes: number[]): Promise<void> => {
    if (!options.dribble) {
      client.write(Buffer.from(bytes));
      return;
    }
    for (const b of bytes) {
      client.write(Buffer.of(b));
      await new Promise((r) => setImmediate(r));
    }
  };
  const [version, count = 0] = await reader.read(2);
  if (version !== 5) return void client.destroy();
  const methods = [...(await reader.read(count))];
  if (options.stall) return;
  if (options.badVersion !== undefined) {
    await write([options.badVersion, 0]);
    return;
  }
  const request: Partial<SocksRequest> = { methods };
  if (methods.includes(2) && options.preferAuth !== false) {
    await write([5, 2]);
    const [, ulen = 0] = await reader.read(2);
    request.username = (await reader.read(ulen)).toString();
    const [plen = 0] = await reader.read(1);
    request.password = (await reader.read(plen)).toString();
    await write([1, 0]);
  } else {
    await write([5, 0]);
  }
  const [, , , atyp = 0] = await reader.read(4);
  let host: string;
  if (atyp === 1) host = [...(await reader.read(4))].join('.');
  else if (atyp === 4) host = ipv6(await reader.read(16));
  else host = (await reader.read((await reader.read(1))[0] ?? 0)).toString();
  const port = (await reader.read(2)).readUInt16BE(0);
  const full: SocksRequest = { ...(request as SocksRequest), addressType: atyp, host, port };
  requests.push(full);
  const rep = options.reply?.(full) ?? 0;
  const target = rep === 0 ? options.route?.(full) : undefined;
  if (rep !== 0 || target === undefined) {
    await write([5, rep === 0 ? 4 : rep, 0, 1, 0, 0, 0, 0, 0, 0]);
    client.end();
    return;
  }
  const upstream = net.connect({ host: '127.0.0.1', port: target });
  await new Promise<void>((resolve, reject) => upstream.once('connect', resolve).once('error', reject));
  await write([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]);
  const early = reader.rest();
  if (early.length > 0) upstream.write(early);
  client.removeAllListeners('data');
  client.pipe(upstream).pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** Starts a SOCKS5 server on 127.0.0.1 with an ephemeral port. */
export async function startSocks5Server(options: Socks5ServerOptions = {}): Promise<Socks5Server> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => {});
    serve(client, options, requests).catch(() => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts a TCP echo server on 127.0.0.1; returns its port and a closer. */
export async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
