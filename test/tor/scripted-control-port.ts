/**
 * A scripted control port on 127.0.0.1 for unit tests of behaviour a real Tor will not show on demand (a wrong
 * SAFECOOKIE hash, a reply split mid-line, a connection dropped mid-call). `answer` maps each received command
 * line to the raw bytes to send back (or `undefined` to stay silent).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface ScriptedControlPort {
  readonly port: number;
  /** Every command line received, in order. */
  readonly received: string[];
  /** The sockets of accepted connections. */
  readonly sockets: Socket[];
  close(): Promise<void>;
}

export async function startScriptedControlPort(
  answer: (line: string, socket: Socket) => string | undefined,
): Promise<ScriptedControlPort> {
  const received: string[] = [];
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      for (let nl = buffered.indexOf('\r\n'); nl !== -1; nl = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 2);
        received.push(line);
        const reply = answer(line, socket);
        if (reply !== undefined && !socket.destroyed) socket.write(reply);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    port: address.port,
    received,
    sockets,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
