/**
 * Where the running node tells others to find it: `[node] tub.location` turned into the hosts and ports of its
 * NURLs and introducer URL, by the same function `lafs admin storage-announcement` uses (so both print the same
 * NURLs). A node that publishes no address (`UNREACHABLE`, `disabled`) still runs; it just announces nothing.
 *
 * @module
 */
import type { NodeSettings } from '../../config/types.js';
import { type AnnouncedAddress, announcedAddresses as addressesOf } from '../../storage/server/identity.js';

/**
 * The addresses to announce, in `tub.location` order; empty when the location publishes none. Throws a
 * PrivacyError for hints that would reveal the IP address of an anonymous node.
 */
export function announcedAddresses(settings: NodeSettings, tcpPort: number | undefined): AnnouncedAddress[] {
  const location = settings.node.tubLocation;
  if (location.kind === 'disabled' || location.items.every((item) => item.type === 'unreachable')) return [];
  return addressesOf(settings, tcpPort === undefined ? {} : { listenPort: tcpPort });
}
