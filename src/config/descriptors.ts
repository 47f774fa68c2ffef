/**
 * The narrow bridge between the configuration loader and the endpoint-descriptor parser of `src/endpoints`:
 * everything the loader needs from it goes through {@link DescriptorParsers}, so the loader does not depend on
 * the registry's internals and tests can pass a registry with extra schemes.
 *
 * @module
 */
import { createDefaultRegistry, type DescriptorRegistry } from '../endpoints/index.js';
import type { ConnectionHint, ListenDescriptor, LocationItem } from '../endpoints/types.js';

/** What the loader asks of the descriptor parser. Each function throws (any `Error`) on bad input. */
export interface DescriptorParsers {
  /** One listen descriptor (`tcp:3456:interface=127.0.0.1`, `unix:/path`, `listen:tor`, `disabled`...). */
  parseListen(text: string): ListenDescriptor;
  /** A comma-separated list of listen descriptors (`tub.port`); `disabled` only alone. */
  parseListenList(text: string): ListenDescriptor[];
  /** A comma-separated `tub.location` list (hints, `AUTO`, `UNREACHABLE`, `disabled`). */
  parseLocation(text: string): LocationItem[];
  /** One connection hint (`tcp:HOST:PORT`, `tor:ONION:PORT`, `i2p:ADDR`, legacy `HOST:PORT`). */
  parseHint(text: string): ConnectionHint;
}

/** The parsers of `src/endpoints`' default registry (tcp, tor, i2p hints; tcp, unix, onion, listen:* listeners). */
export function defaultDescriptorParsers(
  registry: DescriptorRegistry = createDefaultRegistry(),
): DescriptorParsers {
  return {
    parseListen: (text) => registry.parseListen(text),
    parseListenList: (text) => registry.parseListenList(text),
    parseLocation: (text) => registry.parseLocation(text),
    parseHint: (text) => registry.parseHint(text),
  };
}
