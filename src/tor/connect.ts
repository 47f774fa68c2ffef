/**
 * Opening a control connection: control-port descriptors (the Twisted-style strings of Tahoe's
 * `[tor] control.port`, e.g. `tcp:127.0.0.1:9051`, `tcp:host=127.0.0.1:port=9051`, `unix:/run/tor/control`),
 * the socket, and authentication.
 *
 * @module
 */
import type { Socket } from 'node:net';

import { formatUnixClientDescriptor, parseUnixClientDescriptor } from '../endpoints/codecs/unix.js';
import { DescriptorError } from '../endpoints/errors.js';
import { portFromText } from '../endpoints/host.js';
import { type AbortOptions, combineSignals } from '../util/abort.js';
import { connectSocket } from '../util/connect-socket.js';
import { type AuthenticateOptions, type AuthenticationResult, authenticate } from './auth.js';
import { TorControlClient, type TorControlClientOptions } from './control-client.js';
import { TorConnectionClosedError, TorControlDescriptorError } from './errors.js';

/** Where a control port listens (the same shape as the config layer's `ClientEndpoint`, so it can be passed as is). */
export type ControlPortTarget =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | {
      readonly kind: 'unix';
      readonly path: string;
    };

function parsePort(text: string, descriptor: string): number {
  const port = portFromText(text);
  if (port === undefined) {
    throw new TorControlDescriptorError(descriptor, `port ${JSON.stringify(text)} is not in 1-65535`);
  }
  return port;
}

/** A `unix:` descriptor, by the same rules as every other client endpoint (endpoints/codecs/unix.ts). */
function parseUnixTarget(text: string, descriptor: string): ControlPortTarget {
  let path: string;
  try {
    path = parseUnixClientDescriptor(text, 'config').path;
  } catch (error) {
    if (!(error instanceof DescriptorError)) throw error;
    throw new TorControlDescriptorError(descriptor, error.message, { cause: error });
  }
  if (!path.startsWith('/'))
    throw new TorControlDescriptorError(descriptor, 'a unix socket path must be absolute');
  return { kind: 'unix', path };
}

/**
 * Parses a control-port descriptor: `tcp:HOST:PORT`, `tcp:host=HOST:port=PORT` (either order), `tcp:[IPv6]:PORT`,
 * `unix:/PATH`, `unix:path=/PATH`, or a bare port number (meaning 127.0.0.1). Throws
 * {@link TorControlDescriptorError}.
 */
export function parseControlDescriptor(descriptor: string): ControlPortTarget {
  const text = descriptor.trim();
  if (/^[0-9]+$/.test(text)) return { kind: 'tcp', host: '127.0.0.1', port: parsePort(text, descriptor) };
  const colon = text.indexOf(':');
  const scheme = colon === -1 ? '' : text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  if (scheme === 'unix') return parseUnixTarget(text, descriptor);
  if (scheme === 'tcp') {
    let host: string | undefined;
    let port: number | undefined;
    if (/^(host|port)=/.test(rest)) {
      for (const part of rest.split(':')) {
        const eq = part.indexOf('=');
        const key = part.slice(0, eq);
        if (key === 'host') host = part.slice(eq + 1);
        else if (key === 'port') port = parsePort(part.slice(eq + 1), descriptor);
        else throw new TorControlDescriptorError(descriptor, `unknown parameter ${JSON.stringify(part)}`);
      }
    } else {
      const m = /^(\[[0-9A-Fa-f:.]+\]|[^:]+):([^:]+)$/.exec(rest);
      if (m) {
        host = m[1]!.replace(/^\[|\]$/g, '');
        port = parsePort(m[2]!, descriptor);
      }
    }
    if (!host || port === undefined)
      throw new TorControlDescriptorError(descriptor, 'expected tcp:HOST:PORT');
    return { kind: 'tcp', host, port };
  }
  throw new TorControlDescriptorError(descriptor, 'expected tcp:HOST:PORT, unix:/PATH or a port number');
}

/** Formats a target back into a descriptor (for messages). */
export function formatControlTarget(target: ControlPortTarget): string {
  if (target.kind === 'unix') return formatUnixClientDescriptor({ path: target.path });
  return `tcp:${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** Opens the socket to a control port; rejects with the socket error (ECONNREFUSED, ENOENT...) or on abort. */
export function openControlSocket(target: ControlPortTarget, options: AbortOptions = {}): Promise<Socket> {
  const what = `connecting to the Tor control port ${formatControlTarget(target)}`;
  return connectSocket(
    target.kind === 'unix' ? { path: target.path } : { host: target.host, port: target.port },
    options,
    what,
  );
}

/** Options of {@link openTorControl}. */
export interface OpenTorControlOptions extends AuthenticateOptions, TorControlClientOptions {}

/** An authenticated control connection. */
export interface OpenedTorControl extends AuthenticationResult {
  /** The client, ready for commands. */
  readonly control: TorControlClient;
  /** Where it is connected. */
  readonly target: ControlPortTarget;
}

/**
 * Connects to a control port and authenticates (see {@link authenticate}). On failure the connection is closed
 * and the error is rethrown; the whole operation is bounded by `signal`/`timeoutMs`.
 */
export async function openTorControl(
  where: string | ControlPortTarget,
  options: OpenTorControlOptions = {},
): Promise<OpenedTorControl> {
  const target = typeof where === 'string' ? parseControlDescriptor(where) : where;
  const signal = combineSignals(options, `opening the Tor control port ${formatControlTarget(target)}`);
  const socket = await openControlSocket(target, { signal });
  const control = new TorControlClient(socket, options);
  try {
    const result = await authenticate(control, { ...options, signal, timeoutMs: undefined });
    return { ...result, control, target };
  } catch (error) {
    await control.close();
    if (error instanceof TorConnectionClosedError) {
      throw new TorConnectionClosedError(`${formatControlTarget(target)}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}
