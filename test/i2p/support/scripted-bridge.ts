/**
 * A scripted SAM bridge on 127.0.0.1 for unit tests of the socket adapter and sessions: each connection runs a
 * script that reads the client's lines and writes replies, possibly in awkward pieces.
 *
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';

export type Script = (socket: Socket, lines: AsyncIterator<string>) => Promise<void>;

/** A running scripted bridge. */
export interface ScriptedBridge {
  server: Server;
  port: number;
  /** Every line received from clients, in order of arrival. */
  received: string[];
  /** Stops listening and drops every connection. */
  close(): void;
}

/** Reads the client's HELLO and answers OK with `version`. */
export async function answerHello(
  socket: Socket,
  lines: AsyncIterator<string>,
  version = '3.1',
): Promise<void> {
  await lines.next();
  socket.write(`HELLO REPLY RESULT=OK VERSION=${version}\n`);
}

/** Starts a bridge that runs `script` on each connection, giving it the client's lines one by one. */
export async function scriptedBridge(script: Script): Promise<ScriptedBridge> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    const queue: string[] = [];
    let wake: (() => void) | undefined;
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        queue.push(buffered.slice(0, i));
        received.push(buffered.slice(0, i));
        buffered = buffered.slice(i + 1);
      }
      wake?.();
    });
    socket.on('error', () => undefined);
    const lines: AsyncIterator<string> = {
      next: async () => {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        return { value: queue.shift()!, done: false };
      },
    };
    void script(socket, lines).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    server,
    port: address.port,
    received,
    close: () => {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** Writes `text` seven bytes per write, with a pause, so the client sees many small TCP chunks. */
export async function trickle(socket: Socket, text: string | Buffer): Promise<void> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += 7) {
    socket.write(bytes.subarray(i, i + 7));
    await new Promise((resolve) => setImmediate(resolve));
  }
}
