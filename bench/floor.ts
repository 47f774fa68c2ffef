/**
 * The floor under the grid benchmark: the CPU time of the work a Tahoe-compatible upload and download cannot
 * skip, measured primitive by primitive on this machine, and the fastest rate that work allows when it is
 * spread perfectly over every core. No protocol overhead, no JavaScript beyond the calls, no waiting: a real
 * client and servers can only be slower.
 *
 * Per 100 MiB of plaintext at k=3, N=10 (so 333 MiB of shares):
 * - upload: SHA-256 over the plaintext (convergent key), the crypttext (the UEB's flat hash), the crypttext
 *   segments (the crypttext hash tree) and every block (the block hash trees); AES-128-CTR over the
 *   plaintext; zfec's 7 parity blocks; TLS over the shares (client encrypts, server decrypts); the servers
 *   writing the shares into new files;
 * - download: SHA-256 over k blocks and the crypttext segments; AES; TLS over k shares; the servers reading
 *   them (from the page cache).
 *
 * Run standalone with `node dist/bench/floor.js` (`floor.js tls-receiver BYTES` is its own helper process).
 *
 * @module
 */
import { createCipheriv, createHash } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect, createServer } from 'node:tls';
import { pathToFileURL } from 'node:url';
import { createCodec } from '../src/crypto/zfec/index.js';
import { createSelfSignedCertificate } from '../src/storage/http/certificate.js';
import { benchScript, nextLine, spawnBenchScript } from './child.js';
import { type BenchResult, formatBenchTable, peakRssMiB } from './support.js';

const MIB = 1024 * 1024;
/**
 * Bytes each primitive is measured on (TLS on four times as many: its per-byte cost falls as a connection
 * warms up); costs are scaled to 100 MiB of plaintext.
 */
const SAMPLE = 64 * MIB;
const PLAINTEXT = 100 * MIB;
const K = 3;
const N = 10;
const SEGMENT = MIB - (MIB % K);
const BLOCK = SEGMENT / K;

/** CPU milliseconds of this process (all threads) spent in `work`. */
async function cpuMs(work: () => unknown): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** CPU ms per byte of each primitive, measured on {@link SAMPLE} bytes. */
async function measurePrimitives(): Promise<Record<string, number>> {
  const segment = new Uint8Array(SEGMENT).fill(0x5a);
  const count = Math.floor(SAMPLE / SEGMENT);
  const perByte = (ms: number, bytes: number): number => ms / bytes;

  const sha = await cpuMs(() => {
    for (let i = 0; i < count * K; i++) createHash('sha256').update(segment.subarray(0, BLOCK)).digest();
  });
  const aes = await cpuMs(() => {
    const cipher = createCipheriv('aes-128-ctr', new Uint8Array(16), new Uint8Array(16));
    for (let i = 0; i < count; i++) cipher.update(segment);
  });
  const codec = createCodec(K, N);
  const pieces = Array.from({ length: K }, (_, i) => segment.subarray(i * BLOCK, (i + 1) * BLOCK));
  const parityNumbers = Array.from({ length: N - K }, (_, i) => K + i);
  const parity = parityNumbers.map(() => new Uint8Array(BLOCK));
  const zfec = await cpuMs(() => {
    for (let i = 0; i < count; i++) codec.encodeInto(pieces, parityNumbers, parity);
  });
  const tls = await tlsTransfer(4 * SAMPLE);
  const { write, read } = await pageCache(SAMPLE);
  return {
    sha: perByte(sha, count * K * BLOCK),
    aes: perByte(aes, count * SEGMENT),
    zfec: perByte(zfec, count * SEGMENT),
    tls: perByte(tls, 4 * SAMPLE),
    write: perByte(write, SAMPLE),
    read: perByte(read, SAMPLE),
  };
}

/**
 * CPU ms to send `bytes` over TLS 1.3 (AES-128-GCM, as the GBS client prefers) from this process to a receiver
 * in another process, as between a client and a server: encrypting, decrypting and both ends' socket work. The
 * keys, certificate and handshake are set up before either clock starts.
 */
async function tlsTransfer(bytes: number): Promise<number> {
  const receiver = spawnBenchScript(benchScript('./floor.js'), ['tls-receiver', String(bytes)]);
  const lines = createInterface({ input: receiver.stdout });
  try {
    const { port } = JSON.parse(await nextLine(lines)) as { port: number };
    const socket = connect({
      host: '127.0.0.1',
      port,
      rejectUnauthorized: false,
      ciphers: 'TLS_AES_128_GCM_SHA256',
    });
    await new Promise<void>((resolve) => socket.once('secureConnect', resolve));
    const chunk = new Uint8Array(MIB).fill(0xa5);
    const received = nextLine(lines);
    const sender = await cpuMs(async () => {
      for (let sent = 0; sent < bytes; sent += chunk.length) {
        if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve));
      }
      await received;
    });
    socket.destroy();
    const { cpuMs: receiverMs } = JSON.parse(await received) as { cpuMs: number };
    return sender + receiverMs;
  } finally {
    receiver.stdin.end();
    await once(receiver, 'exit');
  }
}

/** The receiving end of {@link tlsTransfer}: prints its port, then the CPU ms it spent receiving `bytes`. */
async function tlsReceiver(bytes: number): Promise<void> {
  const identity = createSelfSignedCertificate();
  let received = 0;
  let start: NodeJS.CpuUsage | undefined;
  const server = createServer({ key: identity.keyPem, cert: identity.certPem }, (socket) => {
    socket.on('data', (data: Buffer) => {
      start ??= process.cpuUsage();
      received += data.length;
      if (received >= bytes) {
        const used = process.cpuUsage(start);
        process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000 })}\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
  process.stdin.resume();
  await once(process.stdin, 'end');
  server.close();
  process.exit(0);
}

/** CPU ms to write `bytes` into a new file and to read them back (from the page cache). */
async function pageCache(bytes: number): Promise<{ write: number; read: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'lafs-floor-'));
  try {
    const path = join(dir, 'share');
    const chunk = new Uint8Array(MIB).fill(0x3c);
    const fd = openSync(path, 'w+');
    try {
      const write = await cpuMs(() => {
        for (let at = 0; at < bytes; at += MIB) writeSync(fd, chunk, 0, MIB, at);
      });
      const read = await cpuMs(() => {
        for (let at = 0; at < bytes; at += MIB) readSync(fd, chunk, 0, MIB, at);
      });
      return { write, read };
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU ms per 100 MiB of plaintext of each part of an upload and a download. */
export function floorCosts(perByte: Record<string, number>): {
  upload: Record<string, number>;
  download: Record<string, number>;
} {
  const shares = (PLAINTEXT * N) / K;
  const needed = PLAINTEXT;
  const cost = (name: string, bytes: number): number => (perByte[name] ?? 0) * bytes;
  return {
    upload: {
      'SHA-256': cost('sha', 3 * PLAINTEXT + shares),
      AES: cost('aes', PLAINTEXT),
      zfec: cost('zfec', PLAINTEXT),
      TLS: cost('tls', shares),
      'disk write': cost('write', shares),
    },
    download: {
      'SHA-256': cost('sha', 2 * needed),
      AES: cost('aes', PLAINTEXT),
      TLS: cost('tls', needed),
      'disk read': cost('read', needed),
    },
  };
}

/** Measures the primitives and reports each direction's floor as the best rate on all cores. */
export async function benchFloor(): Promise<BenchResult[]> {
  const perByte = await measurePrimitives();
  const cores = availableParallelism();
  const mb = PLAINTEXT / 1e6;
  return Object.entries(floorCosts(perByte)).map(([direction, parts]) => {
    const totalMs = Object.values(parts).reduce((a, b) => a + b, 0);
    const breakdown = Object.entries(parts)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)}`)
      .join(', ');
    return {
      name: `floor: grid ${direction} 100 MiB, 3/10, required work only, on ${cores} cores`,
      mbPerSec: mb / (totalMs / 1000 / cores),
      peakRssMiB: peakRssMiB(),
      notes: `CPU ms ${totalMs.toFixed(0)} = ${breakdown}`,
    };
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === 'tls-receiver') await tlsReceiver(Number(process.argv[3]));
  else console.log(formatBenchTable(await benchFloor()));
}
