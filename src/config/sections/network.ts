/**
 * `[connections]`, `[tor]` and `[i2p]` (Tahoe-LAFS `docs/configuration.rst`, "Connection Management"): how
 * outbound connections are made, and the onion service / I2P destination the node may run. The checks mirror
 * Tahoe's `tor_provider.check_onion_config` and `i2p_provider.check_dest_config`.
 *
 * @module
 */
import { type ClientEndpoint, parseClientEndpoint } from '../client-endpoint.js';
import { ConflictingConfigError } from '../errors.js';
import type { ConfigReader } from '../reader.js';
import type { ConnectionsSection, I2pSection, TcpHandler, TorSection } from '../types.js';

function endpoint(reader: ConfigReader, section: string, key: string): ClientEndpoint | undefined {
  const text = reader.nonEmpty(section, key);
  if (text === undefined) return undefined;
  return reader.parsed(section, key, parseClientEndpoint);
}

/**
 * Reads `[connections] tcp`. On an anonymous node an unset `tcp` means `tor` (every `tcp:` hint goes through
 * Tor), recorded as `tcpSource: 'anonymity'`; the refusal of `tcp = tcp` is the anonymity checker's job.
 */
export function readConnectionsSection(reader: ConfigReader, anonymous: boolean): ConnectionsSection {
  const raw = reader.string('connections', 'tcp');
  if (raw === undefined) {
    return anonymous ? { tcp: 'tor', tcpSource: 'anonymity' } : { tcp: 'tcp', tcpSource: 'default' };
  }
  const value = raw.trim().toLowerCase();
  if (value === 'tcp' || value === 'tor' || value === 'disabled') {
    return { tcp: value as TcpHandler, tcpSource: 'config' };
  }
  reader.invalid(
    'connections',
    'tcp',
    value === 'i2p'
      ? 'I2P cannot reach ordinary TCP addresses; use "tor", "tcp" or "disabled" (for an I2P-only node)'
      : `unknown handler "${raw}"; use "tcp" (direct), "tor" (through Tor) or "disabled"`,
  );
  return { tcp: anonymous ? 'tor' : 'tcp', tcpSource: 'config' };
}

/** Reads `[tor]`, including the onion service keys required by `onion = true`. */
export function readTorSection(reader: ConfigReader): TorSection {
  const launch = reader.boolean('tor', 'launch', false);
  const controlPort = endpoint(reader, 'tor', 'control.port');
  const section: TorSection = {
    enabled: reader.boolean('tor', 'enabled', true),
    socksPort: endpoint(reader, 'tor', 'socks.port'),
    controlPort,
    launch,
    executable: reader.nonEmpty('tor', 'tor.executable'),
    onion: undefined,
  };
  const clientAuthDir = reader.path('tor', 'client_auth_dir', undefined);
  if (clientAuthDir !== undefined) section.clientAuthDir = clientAuthDir;
  if (launch && reader.nonEmpty('tor', 'control.port') !== undefined) {
    reader.report(
      new ConflictingConfigError(
        reader.where('tor', 'control.port'),
        'launch = true starts a private Tor, so control.port (an existing Tor) would be ignored; keep one of them',
      ),
    );
  }
  if (!reader.boolean('tor', 'onion', false)) return section;
  if (!launch && reader.nonEmpty('tor', 'control.port') === undefined) {
    reader.missing(
      'tor',
      'control.port',
      'onion = true needs a Tor to create the onion service: set control.port or launch = true',
    );
  }
  const localPort = requiredPort(reader, 'tor', 'onion.local_port', 'onion = true');
  const externalPort = requiredPort(reader, 'tor', 'onion.external_port', 'onion = true');
  const privateKeyFile = required(reader, 'tor', 'onion.private_key_file', 'onion = true');
  if (localPort !== undefined && externalPort !== undefined && privateKeyFile !== undefined) {
    section.onion = {
      localPort,
      externalPort,
      privateKeyFile: reader.path('tor', 'onion.private_key_file', privateKeyFile),
    };
    if (reader.boolean('tor', 'onion.client_auth', false)) {
      section.onion.authorizedClientsDir = reader.path(
        'tor',
        'onion.authorized_clients_dir',
        'private/tor_authorized_clients',
      );
    }
  }
  return section;
}

/** Reads `[i2p]`, including the destination keys required by `dest = true`. */
export function readI2pSection(reader: ConfigReader): I2pSection {
  const launch = reader.boolean('i2p', 'launch', false);
  const samPort = endpoint(reader, 'i2p', 'sam.port');
  const section: I2pSection = {
    enabled: reader.boolean('i2p', 'enabled', true),
    samPort,
    launch,
    configDir: reader.path('i2p', 'i2p.configdir', undefined),
    executable: reader.nonEmpty('i2p', 'i2p.executable'),
    destination: undefined,
  };
  if (launch && reader.nonEmpty('i2p', 'sam.port') !== undefined) {
    reader.report(
      new ConflictingConfigError(
        reader.where('i2p', 'sam.port'),
        'set either sam.port or launch = true, not both',
      ),
    );
  }
  if (!reader.boolean('i2p', 'dest', false)) return section;
  if (!launch && reader.nonEmpty('i2p', 'sam.port') === undefined && section.configDir === undefined) {
    reader.missing(
      'i2p',
      'sam.port',
      'dest = true needs an I2P router: set sam.port, i2p.configdir or launch = true',
    );
  }
  const port = requiredPort(reader, 'i2p', 'dest.port', 'dest = true');
  const privateKeyFile = required(reader, 'i2p', 'dest.private_key_file', 'dest = true');
  if (port !== undefined && privateKeyFile !== undefined) {
    section.destination = {
      port,
      privateKeyFile: reader.path('i2p', 'dest.private_key_file', privateKeyFile),
    };
  }
  return section;
}

function required(reader: ConfigReader, section: string, key: string, because: string): string | undefined {
  const entry = reader.entry(section, key);
  if (entry === undefined || entry.raw.trim() === '') {
    reader.missing(section, key, `${because} requires ${key}`);
    return undefined;
  }
  return reader.nonEmpty(section, key);
}

function requiredPort(
  reader: ConfigReader,
  section: string,
  key: string,
  because: string,
): number | undefined {
  if (required(reader, section, key, because) === undefined) return undefined;
  return reader.integer(section, key, undefined, 1, 65535);
}
