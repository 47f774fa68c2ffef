/**
 * Client endpoint descriptors: where the node reaches a local daemon (`[tor] socks.port`, `[tor] control.port`,
 * `[i2p] sam.port`). These use Twisted's client-endpoint syntax (Tahoe-LAFS `docs/configuration.rst`, "[tor]",
 * "[i2p]"): `tcp:HOST:PORT`, `tcp:host=HOST:port=PORT`, `unix:PATH` or `unix:path=PATH` (with `timeout=` and
 * `lockfile=`, parsed by `endpoints/codecs/unix.ts`), with `\:` escaping a colon inside a value (IPv6 addresses,
 * also accepted in `[...]`). The lexical layer is the one of `tub.port`
 * and `tub.location` (`endpoints/tokenize.ts`).
 *
 * @module
 */
import { parseUnixClientDescriptor } from '../endpoints/codecs/unix.js';
import { portFromText } from '../endpoints/host.js';
import { tokenize } from '../endpoints/tokenize.js';
import type { UnixClientDescriptor } from '../endpoints/types.js';

/** A TCP destination of a local daemon. */
export interface TcpClientEndpoint {
  kind: 'tcp';
  host: string;
  port: number;
}

/** A Unix-domain socket of a local daemon (`path`, and `timeoutSeconds`/`lockfile` when written). */
export interface UnixClientEndpoint extends UnixClientDescriptor {
  kind: 'unix';
}

/** Where to reach a Tor or I2P daemon. */
export type ClientEndpoint = TcpClientEndpoint | UnixClientEndpoint;

function parsePort(text: string | undefined, descriptor: string): number {
  const port = text === undefined ? undefined : portFromText(text);
  if (port === undefined) {
    throw new RangeError(`"${descriptor}" needs a port number 1-65535, got "${text ?? ''}"`);
  }
  return port;
}

/**
 * Parses a client endpoint descriptor.
 *
 * @throws {RangeError} naming the descriptor and what is wrong with it, or `DescriptorError` for a lexical
 * problem (a dangling `\`, an unclosed `[`), with its position.
 */
export function parseClientEndpoint(descriptor: string): ClientEndpoint {
  const text = descriptor.trim();
  const [scheme, ...args] = tokenize(text, text, 0);
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const arg of args) {
    if (arg.key) named.set(arg.key.toLowerCase(), arg.value);
    else positional.push(arg.value);
  }
  switch (scheme?.key === undefined ? scheme?.value.toLowerCase() : undefined) {
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
    case 'unix':
      // Twisted's client syntax with its keywords; anything else is a DescriptorError with its position.
      return { kind: 'unix', ...parseUnixClientDescriptor(text) };
    default:
      throw new RangeError(
        `"${descriptor}" is not a client endpoint; expected tcp:HOST:PORT or unix:PATH (e.g. tcp:127.0.0.1:9050)`,
      );
  }
}
