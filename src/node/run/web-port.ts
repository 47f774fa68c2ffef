/**
 * Where the web gateway listens: `[node] web.port` (Tahoe-LAFS `docs/configuration.rst`). A `tcp:PORT` without an
 * interface binds loopback only: the gateway holds the user's capabilities, and an anonymous node must never
 * expose it. Write `interface=0.0.0.0` to expose it deliberately.
 *
 * @module
 */
import type { NodeSettings } from '../../config/types.js';
import { UnsupportedNodeSettingError } from './errors.js';

/** The gateway's listen address, or `undefined` when `web.port` is unset or empty. */
export function webListenAddress(settings: NodeSettings): { host: string; port: number } | undefined {
  const web = settings.node.webPort;
  if (web === undefined) return undefined;
  const [descriptor, ...more] = web.descriptors;
  if (descriptor === undefined || descriptor.scheme === 'disabled') return undefined;
  if (more.length > 0 || descriptor.scheme !== 'tcp')
    throw new UnsupportedNodeSettingError(
      `[node] web.port = ${web.raw}`,
      'the web gateway listens on one tcp:PORT[:interface=ADDR] descriptor',
    );
  const { port, interface: host } = descriptor as { port: number; interface?: string };
  return { host: host ?? '127.0.0.1', port };
}
