/**
 * `tub.location`: the hints a node publishes (Tahoe-LAFS `docs/configuration.rst`, "tub.location"; the
 * expansion of `AUTO` follows `allmydata/node.py` `_tub_portlocation` and `util/iputil.py`
 * `get_local_addresses_sync`).
 *
 * @module
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { networkInterfaces } from 'node:os';
import { PrivacyError } from '../errors.js';
import { fail, isValidPort } from './host.js';
import type { DescriptorRegistry, ParseOptions } from './registry.js';
import { splitList } from './tokenize.js';
import type { ConnectionHint, LocationItem, TcpHint } from './types.js';

/** Words that stand for {@link LocationItem}s other than hints. `AUTODETECT` is accepted as a synonym of `AUTO`. */
const WORDS: Readonly<Record<string, LocationItem>> = {
  AUTO: { type: 'auto' },
  AUTODETECT: { type: 'auto' },
  UNREACHABLE: { type: 'unreachable' },
};

/**
 * Parses a `tub.location` value: comma-separated hints mixed with `AUTO`/`AUTODETECT` and `UNREACHABLE`, or
 * `disabled` alone. Empty values and empty items are refused (Tahoe: "tub.location must not be empty").
 */
export function parseLocation(
  registry: DescriptorRegistry,
  text: string,
  options: ParseOptions = {},
): LocationItem[] {
  const at = { source: text, kind: options.kind ?? 'config' };
  const items = splitList(text, options.kind);
  const result: LocationItem[] = [];
  for (const item of items) {
    if (item.text === 'disabled') {
      if (items.length > 1) fail(at, item.start, '"disabled" alone, not in a list');
      result.push({ type: 'disabled' });
      continue;
    }
    const word = WORDS[item.text];
    if (word !== undefined) {
      result.push({ ...word });
      continue;
    }
    if (item.text === '') fail(at, item.start, 'a hint, AUTO, UNREACHABLE or disabled; got nothing');
    const upper = item.text.toUpperCase();
    if (WORDS[upper] !== undefined || upper === 'DISABLED') {
      fail(at, item.start, `"${upper === 'DISABLED' ? 'disabled' : upper}" spelled exactly so`);
    }
    result.push({ type: 'hint', hint: registry.parseItem('hint', text, item, options) as ConnectionHint });
  }
  return result;
}

/** Writes location items in canonical form (`AUTO`, `UNREACHABLE`, `disabled`, canonical hints). */
export function formatLocation(registry: DescriptorRegistry, items: readonly LocationItem[]): string {
  const words = { auto: 'AUTO', unreachable: 'UNREACHABLE', disabled: 'disabled' } as const;
  return items
    .map((item) => (item.type === 'hint' ? registry.formatHint(item.hint) : words[item.type]))
    .join(',');
}

/** How to expand `AUTO`. */
export interface ExpandLocationOptions {
  /** The TCP port the node listens on (from `tub.port`); required when the items contain `AUTO`. */
  port?: number;
  /** This host's interfaces, as `os.networkInterfaces()` returns them (injected by tests). */
  interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /**
   * `[node] reveal-IP-address`. When false, `AUTO` and `tcp:` hints are refused with a PrivacyError, as Tahoe
   * refuses them. Defaults to true.
   */
  revealIp?: boolean;
}

/**
 * Turns location items into the hints to publish. `AUTO` becomes `tcp:ADDR:PORT` for every IPv4 address of every
 * interface, loopback included (Tahoe publishes 127.0.0.1 too: useful to clients on the same machine), without
 * duplicates. `UNREACHABLE` and `disabled` contribute nothing.
 */
export function expandLocation(
  items: readonly LocationItem[],
  options: ExpandLocationOptions = {},
): ConnectionHint[] {
  const revealIp = options.revealIp ?? true;
  const hints: ConnectionHint[] = [];
  const seen = new Set<string>();
  const add = (hint: ConnectionHint, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    hints.push(hint);
  };
  for (const item of items) {
    if (item.type === 'hint') {
      if (!revealIp && item.hint.scheme === 'tcp') {
        throw new PrivacyError(
          `tub.location includes the tcp: hint ${describe(item.hint)}, which reveals this node's IP address; ` +
            'publish a tor: or i2p: hint instead, or set [node] reveal-IP-address = true',
        );
      }
      add(item.hint, JSON.stringify(item.hint));
    } else if (item.type === 'auto') {
      if (!revealIp) {
        throw new PrivacyError(
          "tub.location uses AUTO, which publishes this host's IP addresses; list tor: or i2p: hints instead, " +
            'or set [node] reveal-IP-address = true',
        );
      }
      const port = options.port;
      if (!isValidPort(port)) {
        throw new RangeError(
          `expandLocation: AUTO needs the listening TCP port (1-65535), got ${String(port)}`,
        );
      }
      for (const address of ipv4Addresses(options.interfaces ?? networkInterfaces())) {
        const hint: TcpHint = { scheme: 'tcp', host: address, port };
        add(hint, JSON.stringify(hint));
      }
    }
  }
  return hints;
}

function describe(hint: ConnectionHint): string {
  return 'host' in hint && 'port' in hint
    ? `${hint.scheme}:${String(hint.host)}:${String(hint.port)}`
    : hint.scheme;
}

/** Every IPv4 address assigned to an interface, in interface order. */
function ipv4Addresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const out: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      // Node < 18.4 reported family as a number.
      if (info.family === 'IPv4' || (info.family as unknown) === 4) out.push(info.address);
    }
  }
  return out;
}
