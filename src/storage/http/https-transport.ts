/**
 * The HTTPS transport of the GBS client: keep-alive pooled connections over any duplex stream the caller's
 * connector opens (direct TCP, Tor, I2P), TLS on top, and the server pinned by the SPKI hash of its NURL
 * (compared in constant time; CA and host-name checks do not apply, per http-storage-node-protocol.rst).
 * No request byte is sent before the pin has been checked.
 *
 * @module
 */
import type { X509Certificate } from 'node:crypto';
import { Agent, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { DEFAULT_CIPHERS, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { dialTcp } from '../../endpoints/tcp-connector.js';
import { AbortError } from '../../errors.js';
import { type AbortOptions, scopedSignal, throwIfAborted } from '../../util/abort.js';
import { drainOrClose } from '../../util/drain-or-close.js';
import { SpkiMismatchError } from './errors.js';
import type { GbsRequest, GbsResponse, Transport } from './message.js';
import type { Nurl } from './nurl.js';
import { certificateSpkiHash, spkiHashEqual } from './spki.js';

/**
 * Opens a byte stream to `host:port` (the node plugs in its ConnectionManager here). `port` is `undefined` only
 * for a `pb+i2p://` NURL without one (url.rst): an I2P destination needs no port.
 */
export type Connector = (host: string, port: number | undefined, options: AbortOptions) => Promise<Duplex>;

/** The TLS 1.3 suite the client offers first. */
const PREFERRED_CIPHER = 'TLS_AES_128_GCM_SHA256';

/** Direct TCP (`endpoints` `dialTcp`: bounded, cancellable, typed errors), for tests and servers on 127.0.0.1. */
export const directTcpConnector: Connector = async (host, port, options) => {
  if (port === undefined) throw new RangeError(`direct TCP to ${host} needs a port`);
  return dialTcp(host, port, options);
};

/** Checks a TLS peer against the pinned SPKI hash: a well-formed, correctly self-signed certificate with that key. */
export function checkPinnedPeer(socket: TLSSocket, expectedSpkiHash: string): void {
  const cert: X509Certificate | undefined = socket.getPeerX509Certificate();
  if (!cert) throw new SpkiMismatchError(expectedSpkiHash, '(no certificate)');
  const actual = certificateSpkiHash(cert);
  if (!spkiHashEqual(actual, expectedSpkiHash)) throw new SpkiMismatchError(expectedSpkiHash, actual);
  if (!cert.verify(cert.publicKey))
    throw new SpkiMismatchError(expectedSpkiHash, `${actual} (bad self-signature)`);
}

/** Options of {@link createHttpsTransport}. */
export interface HttpsTransportOptions {
  nurl: Nurl;
  connect?: Connector;
  /** Connections kept per server (default 4). */
  maxSockets?: number;
  /** Deadline for opening a connection and the TLS handshake (default 60 s). */
  connectTimeoutMs?: number;
}

/** A transport plus a way to close its pooled connections. */
export interface ClosableTransport {
  send: Transport;
  close(): void;
}

/** Creates the pooled, pinned HTTPS transport for one storage server. */
export function createHttpsTransport(options: HttpsTransportOptions): ClosableTransport {
  const { nurl } = options;
  const connector = options.connect ?? directTcpConnector;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 4 });
  // Only the agent's pool key and the Host header see this default; the connector dials `nurl.port` as given.
  const port = nurl.port ?? 443;
  type Callback = (error: Error | null, socket?: Duplex) => void;
  (agent as unknown as { createConnection: (o: unknown, cb: Callback) => undefined }).createConnection = (
    _o,
    callback,
  ) => {
    const { signal, dispose } = scopedSignal(
      { timeoutMs: options.connectTimeoutMs ?? 60_000 },
      'connecting to the storage server',
    );
    connector(nurl.host, nurl.port, { signal })
      .then((raw) => {
        const tls = tlsConnect({
          socket: raw,
          rejectUnauthorized: false,
          ALPNProtocols: ['http/1.1'],
          // AES-128-GCM first: as strong as this protocol needs and about a third cheaper than AES-256-GCM for
          // share data; the rest of Node's defaults follow, so any server still finds a common suite.
          ciphers: `${PREFERRED_CIPHER}:${DEFAULT_CIPHERS}`,
        });
        const fail = (error: Error): void => {
          dispose();
          tls.destroy();
          callback(error);
        };
        tls.once('error', fail);
        signal?.addEventListener('abort', () => fail(signal.reason as Error), { once: true });
        tls.once('secureConnect', () => {
          dispose();
          tls.off('error', fail);
          try {
            checkPinnedPeer(tls, nurl.spkiHash);
          } catch (error) {
            fail(error as Error);
            return;
          }
          callback(null, tls);
        });
      })
      .catch((error: Error) => {
        dispose();
        callback(error);
      });
    return undefined;
  };

  const send: Transport = (req: GbsRequest, callOptions: AbortOptions = {}) =>
    new Promise<GbsResponse>((resolve, reject) => {
      // Disposed when the exchange ends (the response read or the request failed), so that thousands of
      // requests under one transfer's signal leave no timers or listeners behind.
      const { signal, dispose } = scopedSignal(
        callOptions,
        `${req.method} ${req.path.split('/').slice(0, 4).join('/')}`,
      );
      if (signal?.aborted) {
        dispose();
        throwIfAborted(signal);
      }
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = v;
      const outgoing = httpsRequest({
        agent,
        host: nurl.host,
        port,
        method: req.method,
        path: req.path,
        headers,
        signal,
      });
      outgoing.once('close', dispose);
      outgoing.once('error', (error) => {
        reject(signal?.aborted ? new AbortError('the request was aborted', { cause: signal.reason }) : error);
      });
      outgoing.once('response', (res) => {
        const responseHeaders: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') responseHeaders[k] = v;
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: res });
      });
      (async () => {
        // Leaving the loop early ends the body's iterator; a request that died never drains, so stop then.
        for await (const chunk of req.body) {
          if (outgoing.destroyed) return;
          if (!outgoing.write(chunk)) await drainOrClose(outgoing);
          if (outgoing.destroyed) return;
        }
        outgoing.end();
      })().catch((error: Error) => outgoing.destroy(error));
    });

  return { send, close: () => agent.destroy() };
}
