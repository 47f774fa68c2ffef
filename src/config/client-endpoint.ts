/**
 * Client endpoint descriptors: where the node reaches a local daemon (`[tor] socks.port`, `[tor] control.port`,
 * `[i2p] sam.port`). These use Twisted's client-endpoint syntax (Tahoe-LAFS `docs/configuration.rst`, "[tor]",
 * "[i2p]"): `tcp:HOST:PORT`, `tcp:host=HOST:port=PORT`, `unix:PATH` or `unix:path=PATH`, with `\:` escaping a
 * colon inside a value (IPv6 addresses).
 *
 * @module
 */

/** A TCP destination of a local daemon. */
export interface TcpClientEndpoint {
  kind: 'tcp';
  host: string;
  port: number;
}

/** A Unix-domain socket of a local daemon. */
export interface UnixClientEndpoint {
  kind: 'unix';
  path: string;
}

/** Where to reach a Tor or I2P daemon. */
export type ClientEndpoint = TcpClientEndpoint | UnixClientEndpoint;

/** Splits on unescaped `:`, unescaping `\:` and `\\`. */
function splitEscaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      current += text[i + 1];
      i++;
    } else if (ch === ':') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

function parsePort(text: string | undefined, descriptor: string): number {
  if (text === undefined || !/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw new RangeError(`"${descriptor}" needs a port number 1-65535, got "${text ?? ''}"`);
  }
  return Number(text);
}

/**
 * Parses a client endpoint descriptor.
 *
 * @throws {RangeError} naming the descriptor and what is wrong with it.
 */
export function parseClientEndpoint(descriptor: string): ClientEndpoint {
  const [scheme = '', ...args] = splitEscaped(descriptor.trim());
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq > 0) named.set(arg.slice(0, eq).toLowerCase(), arg.slice(eq + 1));
    else positional.push(arg);
  }
  switch (scheme.toLowerCase()) {
    case 'tcp': {
      const host = named.get('host') ?? positional.shift();
      const port = named.get('port') ?? positional.shift();
      if (host === undefined || host === '')
        throw new RangeError(`"${descriptor}" needs a host (tcp:HOST:PORT)`);
      const unknown = [...named.keys()].filter(
        (k) => !['host', 'port', 'timeout', 'bindaddress'].includes(k),
      );
      if (positional.length > 0 || unknown.length > 0) {
        throw new RangeError(`"${descriptor}" has unexpected parts; expected tcp:HOST:PORT`);
      }
      return { kind: 'tcp', host: host.replace(/^\[(.*)\]$/, '$1'), port: parsePort(port, descriptor) };
    }
    case 'unix': {
      const path = named.get('path') ?? positional.shift();
      if (path === undefined || path === '')
        throw new RangeError(`"${descriptor}" needs a socket path (unix:PATH)`);
      return { kind: 'unix', path };
    }
    default:
      throw new RangeError(
        `"${descriptor}" is not a client endpoint; expected tcp:HOST:PORT or unix:PATH (e.g. tcp:127.0.0.1:9050)`,
      );
  }
}
