/**
 * Checks shared by the hint and listen codecs: port numbers, host names, IP literals, loopback.
 *
 * @module
 */
import { isIP } from 'node:net';
import { DescriptorError } from './errors.js';
import type { DescriptorToken } from './tokenize.js';
import type { DescriptorInput } from './types.js';

/** Throws a {@link DescriptorError} at `position` of the input's source. */
export function fail(
  input: Pick<DescriptorInput, 'source' | 'kind'>,
  position: number,
  expected: string,
  hint?: string,
): never {
  const details = { descriptor: input.source, position, expected, kind: input.kind };
  throw new DescriptorError(hint === undefined ? details : { ...details, hint });
}

/** The highest TCP port number. */
export const MAX_PORT = 65535;

/** Parses a TCP port (1-65535, or 0-65535 with `min` 0) written in decimal digits only. */
export function parsePort(
  input: Pick<DescriptorInput, 'source' | 'kind'>,
  token: DescriptorToken | undefined,
  what = 'port',
  min: 0 | 1 = 1,
): number {
  if (token === undefined) return fail(input, input.source.length, `a ${what} number ${min}-${MAX_PORT}`);
  const text = token.value;
  if (!/^[0-9]{1,5}$/.test(text)) {
    return fail(input, token.valueStart, `a ${what} number ${min}-${MAX_PORT}, got ${JSON.stringify(text)}`);
  }
  const port = Number(text);
  if (!isValidPort(port, min)) {
    return fail(input, token.valueStart, `a ${what} number ${min}-${MAX_PORT}, got ${port}`);
  }
  return port;
}

/**
 * True if `port` is an integer 1-65535 (0-65535 with `min` 0), for checking typed values built by hand. Text
 * from a file or the wire goes through {@link portFromText} first.
 */
export function isValidPort(port: unknown, min: 0 | 1 = 1): port is number {
  return typeof port === 'number' && Number.isInteger(port) && port >= min && port <= MAX_PORT;
}

/**
 * Checks a port passed as a value (an option, an argument) and returns it, or throws a `RangeError` naming it:
 * `<what> must be a TCP port 1-65535, got <value>`. `what` says where the value came from, e.g.
 * `"publishDestination: localPort"`.
 */
export function checkPort(port: unknown, what: string, min: 0 | 1 = 1): number {
  if (isValidPort(port, min)) return port;
  const shown = typeof port === 'string' ? JSON.stringify(port) : String(port);
  throw new RangeError(`${what} must be a TCP port ${min}-${MAX_PORT}, got ${shown}`);
}

/**
 * The port written in `text` as 1-5 decimal digits, or `undefined` if it is anything else (a sign, a fraction,
 * hex, an exponent, empty) or out of range. For lenient readers that skip a bad value.
 */
export function portFromText(text: string, min: 0 | 1 = 1): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return isValidPort(port, min) ? port : undefined;
}

/** One DNS label: letters, digits, `-` and `_` (seen in real names), 1-63 characters, no leading/trailing `-`. */
const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** True if `name` is a syntactically valid DNS host name (lower-case; a trailing dot is not allowed). */
export function isDnsName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return name.split('.').every((label) => LABEL.test(label));
}

/**
 * Validates and normalises a host: IPv4, IPv6 (bracketed tokens only, so `HOST:PORT` stays unambiguous) or a DNS
 * name, which is lower-cased.
 */
export function parseHost(
  input: Pick<DescriptorInput, 'source' | 'kind'>,
  token: DescriptorToken | undefined,
): string {
  if (token === undefined || token.value === '') {
    return fail(input, token?.valueStart ?? input.source.length, 'a host name or IP address, got nothing');
  }
  const value = token.value;
  if (token.bracketed) {
    if (isIP(value) !== 6)
      return fail(input, token.valueStart, `an IPv6 address inside [...], got ${JSON.stringify(value)}`);
    return value.toLowerCase();
  }
  if (isIP(value) === 4) return value;
  if (value.includes(':') || isIP(value) === 6) {
    return fail(input, token.valueStart, 'an IPv6 address written in brackets, like [2001:db8::1]');
  }
  const lower = value.toLowerCase();
  if (!isDnsName(lower)) {
    return fail(
      input,
      token.valueStart,
      `a host name (letters, digits, "-", "." ) or IP address, got ${JSON.stringify(value)}`,
    );
  }
  return lower;
}

/** Writes a host for a `HOST:PORT` hint: IPv6 literals in brackets, everything else as is. */
export function formatHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** True for 127.0.0.0/8, ::1, the IPv4-mapped ::ffff:127.x.y.z, and the name `localhost`. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped?.[1]?.startsWith('127.') === true;
  }
  return false;
}

/** True if `host` is an IPv4 or IPv6 literal. */
export function isIpLiteral(host: string): boolean {
  return isIP(host) !== 0;
}
