/**
 * Opening a `node:net` socket with a bound and a cancel: the one place that waits for `connect`.
 *
 * @module
 */
import { type NetConnectOpts, connect as netConnect, type Socket } from 'node:net';
import { type AbortOptions, abortErrorOf, combineSignals, throwIfAborted } from './abort.js';

/**
 * Connects with `target` (TCP host/port or a unix `path`) and resolves once connected. Rejects with
 * `mapError(error)` on a socket error, or with {@link AbortError} when `signal` fires or `timeoutMs` passes;
 * the socket is destroyed and every listener removed in each case. `what` names the attempt in messages.
 */
export function connectSocket(
  target: NetConnectOpts,
  options: AbortOptions,
  what: string,
  mapError: (error: NodeJS.ErrnoException) => Error = (error) => error,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    throwIfAborted(options.signal, what);
    const signal = combineSignals(options, what);
    const socket = netConnect(target);
    const done = (): void => {
      socket.off('connect', onConnect);
      socket.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
    };
    const onConnect = (): void => {
      done();
      resolve(socket);
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      done();
      socket.destroy();
      reject(mapError(error));
    };
    const onAbort = (): void => {
      done();
      socket.destroy();
      if (signal) reject(abortErrorOf(signal, what));
    };
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
