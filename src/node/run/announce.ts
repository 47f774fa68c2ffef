/**
 * Where the node tells others to find it: `[node] tub.location` turned into the hosts and ports of its NURLs and
 * introducer URL. `tcp:` and `tor:` hints give their host and port (`.onion` hosts become `pb+tor://` NURLs),
 * `i2p:` hints their destination (`pb+i2p://`), `AUTO` this host's IPv4 addresses with the listening port.
 *
 * @module
 */

import type { NodeSettings } from '../../config/types.js';
import { expandLocation } from '../../endpoints/location.js';
import type { ConnectionHint } from '../../endpoints/types.js';
import { UnsupportedNodeSettingError } from './errors.js';

/** One announced address. */
export interface AnnouncedAddress {
  host: string;
  port?: number;
}

/**
 * The addresses to announce, in `tub.location` order; empty for `UNREACHABLE` or `disabled` (the node then
 * serves no one). Throws a PrivacyError (from {@link expandLocation}) for hints that reveal the IP address of an
 * anonymous node.
 */
export function announcedAddresses(settings: NodeSettings, tcpPort: number | undefined): AnnouncedAddress[] {
  const location = settings.node.tubLocation;
  if (location.kind === 'disabled') return [];
  const hints = expandLocation(location.items, { port: tcpPort, revealIp: !settings.anonymous });
  return hints.map((hint) => addressOf(hint, settings));
}

function addressOf(hint: ConnectionHint, settings: NodeSettings): AnnouncedAddress {
  switch (hint.scheme) {
    case 'tcp':
    case 'tor': {
      const { host, port } = hint as { host: string; port: number };
      return { host, port };
    }
    case 'i2p': {
      const { address, port } = hint as { address: string; port?: number };
      return { host: address, port: port ?? settings.i2p.destination?.port };
    }
    default:
      throw new UnsupportedNodeSettingError(
        `[node] tub.location = ${settings.node.tubLocation.kind === 'items' ? settings.node.tubLocation.raw : ''}`,
        `lafs cannot announce "${hint.scheme}:" hints; use tcp:, tor: or i2p: hints`,
      );
  }
}
