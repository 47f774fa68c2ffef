/**
 * Typed general-purpose control commands: GETINFO, GETCONF, SETCONF, RESETCONF, SIGNAL, TAKEOWNERSHIP and
 * PROTOCOLINFO (control-spec sections 3.1-3.3, 3.7, 3.9, 3.21, 3.23). Event subscription (SETEVENTS, 3.4) is
 * managed by {@link TorControlClient.subscribe}.
 *
 * @module
 */
import type { AbortOptions } from '../util/abort.js';
import type { TorControlClient } from './control-client.js';
import { TorProtocolError } from './errors.js';
import { assertBareArgument, parseArguments, quoteString, readQuoted } from './quoting.js';
import type { ControlReply } from './reply-parser.js';

/** A configuration key or GETINFO key: letters, digits and `_ - / .` (e.g. `net/listeners/socks`). */
function assertKey(key: string, label: string): string {
  if (!/^[A-Za-z0-9_./-]+$/.test(key)) throw new RangeError(`bad ${label} ${JSON.stringify(key)}`);
  return key;
}

/** Reads a value that Tor may have quoted (GETCONF/GETINFO escape values containing spaces or quotes). */
function maybeUnquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    const q = readQuoted(value, 0);
    if (q.end === value.length) return q.value;
  }
  return value;
}

/**
 * GETINFO (control-spec 3.9): returns each requested key's value. Data-block values (`250+key=`) come back whole;
 * single-line values are returned as Tor sent them (some GETINFO values are quoted lists, e.g.
 * `net/listeners/socks`).
 */
export async function getInfo(
  control: TorControlClient,
  keys: readonly string[],
  options: AbortOptions = {},
): Promise<Map<string, string>> {
  if (keys.length === 0) throw new RangeError('GETINFO needs at least one key');
  const reply = await control.request(
    `GETINFO ${keys.map((k) => assertKey(k, 'GETINFO key')).join(' ')}`,
    options,
  );
  const values = new Map<string, string>();
  for (const line of reply.lines) {
    if (line.separator === ' ' && line.text === 'OK') continue;
    const eq = line.text.indexOf('=');
    if (eq === -1) throw new TorProtocolError(`malformed GETINFO reply line ${JSON.stringify(line.text)}`);
    values.set(line.text.slice(0, eq), line.data ?? line.text.slice(eq + 1));
  }
  for (const key of keys) {
    if (!values.has(key)) throw new TorProtocolError(`GETINFO reply lacks the requested key ${key}`);
  }
  return values;
}

/** GETINFO for one key. */
export async function getInfoOne(
  control: TorControlClient,
  key: string,
  options: AbortOptions = {},
): Promise<string> {
  return (await getInfo(control, [key], options)).get(key)!;
}

/**
 * GETCONF (control-spec 3.3): returns every value of each key (a key set several times, like `SocksPort`, has
 * several); an empty list means the key is at its default.
 */
export async function getConf(
  control: TorControlClient,
  keys: readonly string[],
  options: AbortOptions = {},
): Promise<Map<string, string[]>> {
  if (keys.length === 0) throw new RangeError('GETCONF needs at least one key');
  const reply = await control.request(
    `GETCONF ${keys.map((k) => assertKey(k, 'config key')).join(' ')}`,
    options,
  );
  const values = new Map<string, string[]>();
  for (const line of reply.lines) {
    const eq = line.text.indexOf('=');
    const key = eq === -1 ? line.text : line.text.slice(0, eq);
    const list = values.get(key) ?? [];
    if (eq !== -1) list.push(maybeUnquote(line.text.slice(eq + 1)));
    values.set(key, list);
  }
  return values;
}

/** A value for SETCONF: one value, several (a repeated option), or `null` to reset the key to its default. */
export type ConfValue = string | number | boolean | readonly (string | number)[] | null;

function confArguments(entries: Readonly<Record<string, ConfValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    assertKey(key, 'config key');
    if (value === null) parts.push(key);
    else if (Array.isArray(value)) for (const v of value) parts.push(`${key}=${quoteString(String(v), key)}`);
    else
      parts.push(
        `${key}=${quoteString(typeof value === 'boolean' ? (value ? '1' : '0') : String(value), key)}`,
      );
  }
  if (parts.length === 0) throw new RangeError('SETCONF needs at least one key');
  return parts.join(' ');
}

/** SETCONF (control-spec 3.1): sets all the given options at once (Tor applies all or none). */
export async function setConf(
  control: TorControlClient,
  entries: Readonly<Record<string, ConfValue>>,
  options: AbortOptions = {},
): Promise<void> {
  await control.request(`SETCONF ${confArguments(entries)}`, options);
}

/** RESETCONF (control-spec 3.2): resets the keys to their defaults. */
export async function resetConf(
  control: TorControlClient,
  keys: readonly string[],
  options: AbortOptions = {},
): Promise<void> {
  if (keys.length === 0) throw new RangeError('RESETCONF needs at least one key');
  await control.request(`RESETCONF ${keys.map((k) => assertKey(k, 'config key')).join(' ')}`, options);
}

/** Signals understood by Tor (control-spec 3.7). */
export type TorSignal =
  | 'RELOAD'
  | 'SHUTDOWN'
  | 'DUMP'
  | 'DEBUG'
  | 'HALT'
  | 'CLEARDNSCACHE'
  | 'NEWNYM'
  | 'HEARTBEAT'
  | 'DORMANT'
  | 'ACTIVE';

/** SIGNAL (control-spec 3.7). */
export async function signal(
  control: TorControlClient,
  name: TorSignal,
  options: AbortOptions = {},
): Promise<void> {
  await control.request(`SIGNAL ${assertBareArgument(name, 'signal')}`, options);
}

/**
 * TAKEOWNERSHIP (control-spec 3.23): Tor exits when this control connection closes. Also clears
 * `__OwningControllerProcess` when `resetOwningProcess` is true, as the spec recommends once ownership is taken.
 */
export async function takeOwnership(
  control: TorControlClient,
  options: AbortOptions & { resetOwningProcess?: boolean } = {},
): Promise<void> {
  await control.request('TAKEOWNERSHIP', options);
  if (options.resetOwningProcess) await resetConf(control, ['__OwningControllerProcess'], options);
}

/** What PROTOCOLINFO says (control-spec 3.21). */
export interface ProtocolInfo {
  /** Authentication methods Tor accepts, upper-case (`NULL`, `HASHEDPASSWORD`, `COOKIE`, `SAFECOOKIE`). */
  readonly authMethods: readonly string[];
  /** The cookie file, when COOKIE or SAFECOOKIE is offered. */
  readonly cookieFile?: string;
  /** Tor's version, e.g. `0.4.9.11`. */
  readonly torVersion?: string;
}

/** Parses a PROTOCOLINFO reply. */
export function parseProtocolInfo(reply: ControlReply): ProtocolInfo {
  let authMethods: string[] | undefined;
  let cookieFile: string | undefined;
  let torVersion: string | undefined;
  for (const line of reply.lines) {
    const args = parseArguments(line.text);
    const keyword = args.positional[0];
    if (keyword === 'AUTH') {
      authMethods = (args.keyed.get('METHODS') ?? '').split(',').filter((m) => m.length > 0);
      cookieFile = args.keyed.get('COOKIEFILE');
    } else if (keyword === 'VERSION') {
      torVersion = args.keyed.get('Tor');
    }
  }
  if (!authMethods) throw new TorProtocolError('PROTOCOLINFO reply has no AUTH line');
  return {
    authMethods: authMethods.map((m) => m.toUpperCase()),
    ...(cookieFile !== undefined ? { cookieFile } : {}),
    ...(torVersion !== undefined ? { torVersion } : {}),
  };
}

/** PROTOCOLINFO (control-spec 3.21); allowed once before authenticating. */
export async function protocolInfo(
  control: TorControlClient,
  options: AbortOptions = {},
): Promise<ProtocolInfo> {
  return parseProtocolInfo(await control.request('PROTOCOLINFO 1', options));
}
