/**
 * The i2pd configuration file lafs writes for a router it launches (pure: settings in, file text out).
 *
 * Two modes:
 * - `network`: a normal router on the real I2P network. Every client-facing service listens on 127.0.0.1 only
 *   (SAM) or is off (HTTP/SOCKS proxies, BOB, I2CP, I2PControl; the web console unless asked for); UPnP is off
 *   so the router never opens ports on the user's gateway. The router's own transports (NTCP2, SSU2) keep
 *   i2pd's defaults, since a router that cannot reach other routers is no use.
 * - `isolated`: an offline single-router network for tests (measured on i2pd 2.45.1, see shared/i2p/NOTES.md):
 *   private netid, everything bound to and published as 127.0.0.1, no reseed, no NTP, no addressbook fetches,
 *   and the router is its own floodfill so local destinations can publish and find LeaseSets. Sessions on it
 *   need zero-hop tunnels (`inbound.length=0 outbound.length=0`).
 *
 * Option names follow i2pd's documentation ("Configuring i2pd").
 *
 * @module
 */
import { join } from 'node:path';
import { checkPort } from '../endpoints/host.js';

/** How the launched router meets the world. */
export type I2pdMode = 'network' | 'isolated';

/** i2pd log levels. */
export type I2pdLogLevel = 'debug' | 'info' | 'warn' | 'error' | 'critical' | 'none';

/** Settings of {@link renderI2pdConfig}. */
export interface I2pdConfigSettings {
  /** The router's data directory (keys, netDb, log, pid file). */
  dataDir: string;
  /** SAM port on 127.0.0.1. */
  samPort: number;
  /** See {@link I2pdMode}. */
  mode: I2pdMode;
  /** NTCP2 port: required in `isolated` mode (published on 127.0.0.1); in `network` mode i2pd picks one. */
  ntcp2Port?: number;
  /** Web console port on 127.0.0.1; `undefined` or 0 turns the console off. */
  httpPort?: number;
  /** Log level (default `warn`). */
  logLevel?: I2pdLogLevel;
  /** Private network id for `isolated` mode (default 77; the real network is 2). */
  netId?: number;
}

/** Where the generated files live inside the data directory. */
export function i2pdPaths(dataDir: string): {
  conf: string;
  tunnelsConf: string;
  tunnelsDir: string;
  log: string;
  pid: string;
} {
  return {
    conf: join(dataDir, 'i2pd.conf'),
    tunnelsConf: join(dataDir, 'tunnels.conf'),
    tunnelsDir: join(dataDir, 'tunnels.d'),
    log: join(dataDir, 'i2pd.log'),
    pid: join(dataDir, 'i2pd.pid'),
  };
}

/** Checks an optional port setting, naming it in the RangeError (`i2pd samPort must be a TCP port 1-65535...`). */
function checkOptionalPort(name: string, port: number | undefined, allowZero = false): void {
  if (port !== undefined) checkPort(port, `i2pd ${name}`, allowZero ? 0 : 1);
}

/**
 * Renders `i2pd.conf` for the given settings.
 *
 * @throws RangeError for a port out of range, a missing NTCP2 port in isolated mode, or a data directory whose
 *   name contains a newline (which would inject configuration).
 */
export function renderI2pdConfig(settings: I2pdConfigSettings): string {
  checkOptionalPort('samPort', settings.samPort);
  checkOptionalPort('ntcp2Port', settings.ntcp2Port);
  checkOptionalPort('httpPort', settings.httpPort, true);
  if (/[\r\n]/.test(settings.dataDir))
    throw new RangeError('i2pd data directory name must not contain newlines');
  const isolated = settings.mode === 'isolated';
  if (isolated && settings.ntcp2Port === undefined) {
    throw new RangeError('an isolated i2pd needs an explicit ntcp2Port (it is published on 127.0.0.1)');
  }
  const paths = i2pdPaths(settings.dataDir);
  const webConsole = settings.httpPort !== undefined && settings.httpPort !== 0;
  const lines: string[] = [
    '# Written by lafs; regenerated at every launch.',
    'log = file',
    `logfile = ${paths.log}`,
    `loglevel = ${settings.logLevel ?? 'warn'}`,
    `pidfile = ${paths.pid}`,
    'daemon = false',
    'service = false',
  ];
  if (isolated) {
    lines.push(
      '# Offline test network: private netid, loopback only, own floodfill.',
      `netid = ${settings.netId ?? 77}`,
      'ipv4 = true',
      'ipv6 = false',
      'address4 = 127.0.0.1',
      'host = 127.0.0.1',
      `port = ${settings.ntcp2Port}`,
      'nat = false',
      'reservedrange = false',
      'floodfill = true',
      'bandwidth = X',
      '',
      '[exploratory]',
      'inbound.length = 0',
      'outbound.length = 0',
      'inbound.quantity = 1',
      'outbound.quantity = 1',
      '',
      '[ntcp2]',
      'enabled = true',
      'published = true',
      `port = ${settings.ntcp2Port}`,
      '',
      '[ssu2]',
      'enabled = false',
    );
  } else if (settings.ntcp2Port !== undefined) {
    lines.push(`port = ${settings.ntcp2Port}`);
  }
  lines.push(
    '',
    '[sam]',
    'enabled = true',
    'address = 127.0.0.1',
    `port = ${settings.samPort}`,
    '',
    '[http]',
    `enabled = ${webConsole}`,
    'address = 127.0.0.1',
    `port = ${webConsole ? settings.httpPort : 7070}`,
    '',
    '[httpproxy]',
    'enabled = false',
    '[socksproxy]',
    'enabled = false',
    '[bob]',
    'enabled = false',
    '[i2cp]',
    'enabled = false',
    '[i2pcontrol]',
    'enabled = false',
    '[upnp]',
    'enabled = false',
  );
  if (isolated) {
    lines.push(
      '[nettime]',
      'enabled = false',
      '',
      '# Must stay enabled on i2pd 2.45 (disabling it crashes SAM STREAM CONNECT/ACCEPT); fetch nothing.',
      '[addressbook]',
      'enabled = true',
      'defaulturl =',
      'subscriptions =',
      '',
      '[reseed]',
      'verify = false',
      'urls =',
      'yggurls =',
    );
  } else {
    lines.push('', '[reseed]', 'verify = true');
  }
  return `${lines.join('\n')}\n`;
}
