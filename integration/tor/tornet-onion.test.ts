import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import type { BootstrapStatus } from '../../src/tor/events.js';
import { addOnionService, waitForPublished } from '../../src/tor/onion-service.js';
import { sleep } from '../../src/util/abort.js';
import { processesUsing } from '../support/processes.js';
import { startTorNet, type TorNet } from '../support/tornet.js';

/** Buffers everything a socket receives, so exact-length reads never lose bytes between calls. */
class ByteReader {
  private chunks: Buffer[] = [];
  private have = 0;
  private ended: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.have += chunk.length;
      this.wake?.();
    });
    const end = (error?: Error): void => {
      this.ended ??= error ?? new Error('connection closed');
      this.wake?.();
    };
    socket.once('close', () => end());
    socket.once('error', end);
  }

  /** Exactly `n` bytes, or a rejection naming how many arrived before the close or the timeout. */
  async read(n: number, timeoutMs: number): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.have < n) {
      if (this.ended) throw new Error(`${this.ended.message} after ${this.have} of ${n} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${this.have} of ${n} bytes`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    const all = Buffer.concat(this.chunks);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.have = all.length - n;
    return all.subarray(0, n);
  }
}

/**
 * SOCKS5 CONNECT (RFC 1928) to `host:port` through the proxy on 127.0.0.1:socksPort, by domain name (ATYP 3) so
 * the .onion name goes to Tor unresolved. Resolves with the connected socket, or rejects with the reply code.
 */
async function socks5Connect(
  socksPort: number,
  host: string,
  port: number,
): Promise<{ socket: Socket; reader: ByteReader }> {
  const socket = connect({ host: '127.0.0.1', port: socksPort });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const reader = new ByteReader(socket);
  try {
    socket.write(Buffer.from([0x05, 0x01, 0x00])); // version 5, one method: no authentication
    const method = await reader.read(2, 10_000);
    if (method[0] !== 0x05 || method[1] !== 0x00)
      throw new Error(`SOCKS method refused: ${method.toString('hex')}`);
    const name = Buffer.from(host, 'ascii');
    socket.write(
      Buffer.concat([
        Buffer.from([0x05, 0x01, 0x00, 0x03, name.length]),
        name,
        Buffer.from([port >> 8, port & 0xff]),
      ]),
    );
    const head = await reader.read(4, 30_000);
    if (head[1] !== 0x00) throw new Error(`SOCKS CONNECT failed with reply 0x${head[1]!.toString(16)}`);
    const rest = head[3] === 0x01 ? 4 + 2 : head[3] === 0x04 ? 16 + 2 : (await reader.read(1, 5000))[0]! + 2;
    await reader.read(rest, 5000);
    return { socket, reader };
  } catch (error) {
    socket.destroy();
    throw error;
  }
}

describe('private Tor network: an onion service reached through the client SOCKS port', function () {
  this.timeout(240_000);
  let net: TorNet | undefined;
  let echo: Server | undefined;
  let echoPort = 0;
  const progress: BootstrapStatus[] = [];

  before(async function () {
    this.timeout(200_000);
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo!.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as { port: number }).port;
    net = await startTorNet({
      timeoutMs: 180_000,
      log: (line) => console.log(`      tornet: ${line}`),
      onProgress: (status) => progress.push(status),
    });
  });

  after(async () => {
    await net?.stop();
    await new Promise<void>((resolve) => (echo ? echo.close(() => resolve()) : resolve()));
  });

  it('the client reported bootstrap progress up to 100%', () => {
    expect(progress.length).to.be.greaterThan(2);
    expect(progress[progress.length - 1]).to.include({ progress: 100, tag: 'done' });
    const notices = progress.filter((s) => s.severity === 'NOTICE').map((s) => s.progress);
    expect(notices).to.deep.equal([...notices].sort((a, b) => a - b));
  });

  it('publishes the descriptor and carries data both ways', async () => {
    const control = net!.client.control;
    const t0 = Date.now();
    const service = await addOnionService(control, {
      virtualPort: 3457,
      target: { host: '127.0.0.1', port: echoPort },
    });
    const addedMs = Date.now() - t0;
    await waitForPublished(control, service.serviceId, { timeoutMs: 60_000 });
    const publishedMs = Date.now() - t0;
    // the descriptor may take a moment to be fetchable from every HSDir: retry the connection within a bound
    let connection: { socket: Socket; reader: ByteReader } | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt < 20 && !connection; attempt++) {
      connection = await socks5Connect(net!.socksPort, service.onionAddress, 3457).catch((e: unknown) => {
        lastError = e;
        return undefined;
      });
      if (!connection) await sleep(1000);
    }
    if (!connection) throw new Error(`could not reach ${service.onionAddress}: ${String(lastError)}`);
    const connectedMs = Date.now() - t0;
    try {
      const payload = randomBytes(256 * 1024);
      const t1 = Date.now();
      connection.socket.write(payload);
      const echoed = await connection.reader.read(payload.length, 60_000);
      const echoMs = Date.now() - t1;
      expect(echoed.equals(payload)).to.equal(true);
      console.log(
        `      ADD_ONION ${addedMs} ms, first UPLOADED ${publishedMs} ms, connected ${connectedMs} ms, ` +
          `256 KiB echoed in ${echoMs} ms`,
      );
    } finally {
      connection.socket.destroy();
    }
  });

  it('reports an unknown onion service as a SOCKS failure', async () => {
    const unknown = 'pwiyunat2kqjszj3zujtx5evq32vn3iyrs3wy7lq4gnumtkxddna62id.onion';
    const error = await socks5Connect(net!.socksPort, unknown, 80).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/reply 0x4/);
  });

  it('tears everything down when starting fails (here: aborted after 2.5 s)', async () => {
    let dir = '';
    const error = await startTorNet({
      relays: 1,
      signal: AbortSignal.timeout(2500),
      log: (line) => {
        if (line.startsWith('directory ')) dir = line.slice('directory '.length);
      },
    }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    expect(dir).to.match(/lafs-tornet-/);
    expect(existsSync(dir)).to.equal(false);
    expect(processesUsing(dir)).to.deep.equal([]);
  });
});
