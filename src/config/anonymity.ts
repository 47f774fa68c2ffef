/**
 * The anonymity rules: with `[node] reveal-IP-address = false` (or the older `anonymize = true`), refuse every
 * setting that would reveal the node's IP address (Tahoe-LAFS `docs/configuration.rst`, "reveal-IP-address";
 * `docs/anonymity-configuration.rst`). Tahoe checks the first two groups at start-up; lafs also checks the
 * listeners, because a socket bound to every interface makes the node discoverable on the local network and
 * lets anyone who can reach it link it to this host.
 *
 * 1. Outbound: `[connections] tcp = tcp` dials `tcp:` hints directly: refused (`tor`, or `disabled` for an
 *    I2P-only node, are safe). Unset means `tor`.
 * 2. Published location: `tub.location` may hold only `tor:`/`i2p:` hints, `UNREACHABLE` or `disabled`.
 *    `AUTO` (also the default of a missing `tub.location`), `tcp:` hints and legacy `HOST:PORT` hints are refused.
 * 3. Listeners: `tub.port`, `web.port` (and `[sftpd] port` when SFTP is enabled) may bind loopback only:
 *    `tcp:P:interface=127.0.0.1` or `::1`, `unix:`, `onion:`, `listen:tor`, `listen:i2p`, `disabled`.
 *    An unset `tub.port` (Tahoe then binds a random port on every interface) is refused.
 *
 * Every refusal is a {@link ConfigPrivacyError} naming the key, the value and the safe alternative.
 *
 * @module
 */
import { isIP } from 'node:net';
import type { ListenDescriptor } from '../endpoints/types.js';
import type { ConfigReader } from './reader.js';
import type { ConnectionsSection, ListenSetting, NodeSection, SftpdSection } from './types.js';

/** True for an interface address that only this host can reach: 127.0.0.0/8, `::1`, `::ffff:127.x.y.z`. */
export function isLoopbackInterface(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) {
    if (bare === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(bare)) return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped !== null && (mapped[1] ?? '').startsWith('127.');
  }
  return false;
}

/** Why a listen descriptor is unsafe on an anonymous node, or `undefined` when it binds loopback only. */
export function unsafeListenReason(descriptor: ListenDescriptor): string | undefined {
  switch (descriptor.scheme) {
    case 'unix':
    case 'onion':
    case 'listen':
    case 'disabled':
      return undefined;
    case 'tcp': {
      const iface = typeof descriptor.interface === 'string' ? descriptor.interface : undefined;
      if (iface === undefined) return 'binds every network interface';
      if (isLoopbackInterface(iface)) return undefined;
      return `binds interface ${iface}, which is not loopback`;
    }
    default:
      return `uses the "${descriptor.scheme}" listener, which lafs cannot verify to be loopback-only`;
  }
}

function checkListener(
  reader: ConfigReader,
  section: string,
  key: string,
  setting: ListenSetting,
  alternative: string,
): void {
  for (const descriptor of setting.descriptors) {
    const reason = unsafeListenReason(descriptor);
    if (reason === undefined) continue;
    const port =
      descriptor.scheme === 'tcp' && typeof descriptor.port === 'number' ? descriptor.port : 'PORT';
    reader.privacy(
      section,
      key,
      `"${setting.raw}" ${reason}, which reveals this node to the network while reveal-IP-address = false; ` +
        `use ${alternative.replaceAll('PORT', String(port))}`,
    );
  }
}

/** Applies every anonymity rule, recording a privacy problem for each violation. Call only on anonymous nodes. */
export function checkAnonymity(
  reader: ConfigReader,
  node: NodeSection,
  connections: ConnectionsSection,
  sftpd: SftpdSection | undefined,
): void {
  if (connections.tcp === 'tcp') {
    reader.privacy(
      'connections',
      'tcp',
      '"tcp = tcp" connects to tcp: hints directly, revealing this node\'s IP address while ' +
        'reveal-IP-address = false; use "tcp = tor" (or "tcp = disabled" for an I2P-only node)',
    );
  }

  const location = node.tubLocation;
  if (location.kind === 'items') {
    if (location.fromDefault) {
      reader.privacy(
        'node',
        'tub.location',
        "is missing, so it defaults to AUTO, which publishes this host's IP addresses; with " +
          'reveal-IP-address = false set it to tor:ONION.onion:PORT, i2p:ADDRESS.b32.i2p, UNREACHABLE or disabled',
      );
    }
    for (const item of location.fromDefault ? [] : location.items) {
      if (item.type === 'auto') {
        reader.privacy(
          'node',
          'tub.location',
          `"${location.raw}" uses AUTO, which publishes this host's IP addresses; list only tor:/i2p: hints, ` +
            'or use UNREACHABLE or disabled',
        );
      } else if (item.type === 'hint' && item.hint.scheme !== 'tor' && item.hint.scheme !== 'i2p') {
        const hint = item.hint;
        const shown =
          hint.scheme === 'tcp' ? `tcp:${String(hint.host)}:${String(hint.port)}` : `a ${hint.scheme}: hint`;
        reader.privacy(
          'node',
          'tub.location',
          `"${location.raw}" publishes ${shown}, a direct address; with reveal-IP-address = false publish only ` +
            'tor:ONION.onion:PORT or i2p:ADDRESS.b32.i2p hints, or UNREACHABLE',
        );
      }
    }
  }

  const loopbackTub =
    'tcp:PORT:interface=127.0.0.1 (forwarded to by an onion service), listen:tor, listen:i2p or disabled';
  if (node.tubPort.kind === 'unset') {
    reader.privacy(
      'node',
      'tub.port',
      'is missing, so the node would listen on a random port on every interface; with reveal-IP-address = false ' +
        'set it to tcp:PORT:interface=127.0.0.1, listen:tor, listen:i2p or disabled',
    );
  } else if (node.tubPort.kind === 'listen') {
    checkListener(reader, 'node', 'tub.port', node.tubPort, loopbackTub);
  }
  if (node.webPort !== undefined) {
    checkListener(reader, 'node', 'web.port', node.webPort, 'tcp:PORT:interface=127.0.0.1 or a unix: socket');
  }
  if (sftpd?.enabled === true) {
    checkListener(reader, 'sftpd', 'port', sftpd.port, 'tcp:PORT:interface=127.0.0.1');
  }
}
