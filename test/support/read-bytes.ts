/**
 * Reading a known number of bytes from a stream in tests (echo checks over SAM, Tor or TCP streams).
 *
 * @module
 */
import type { Duplex } from 'node:stream';

/**
 * Collects data from `stream` until at least `bytes` bytes have arrived (or it ends), then detaches and pauses it,
 * so the stream can be read again later. Rejects with the stream's error.
 */
export function readBytes(stream: Duplex, bytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (error?: Error): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', finish);
      stream.pause();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) finish();
    };
    const onEnd = (): void => finish();
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', finish);
  });
}
