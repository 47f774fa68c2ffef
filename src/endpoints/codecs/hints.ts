/**
 * Codecs for the connection hints Foolscap and Tahoe-LAFS publish in FURLs and `tub.location`
 * (`docs/configuration.rst`, "Connection Management"): `tcp:HOST:PORT`, `tor:HOST:PORT`, `i2p:ADDR[:PORT]`.
 *
 * Unknown `key=value` options are kept (see {@link HintOptions}) so that hints from newer peers survive a round
 * trip; connectors ignore options they do not understand.
 *
 * @module
 */
import { fail, formatHost, isIpLiteral, parseHost, parsePort } from '../host.js';
import { checkI2pName, checkOnionName } from '../overlay-address.js';
import { escapeValue } from '../tokenize.js';
import type { DescriptorCodec, DescriptorInput, HintOptions, I2pHint, TcpHint, TorHint } from '../types.js';
import { collectArgs, validateByRoundTrip, withOptions } from './args.js';

const HOST_PORT = { positional: ['host', 'port'], keys: [], keepUnknown: true } as const;

/** Writes `:key=value` for each kept option, escaped. */
function formatOptions(options: HintOptions | undefined): string {
  if (options === undefined) return '';
  return Object.entries(options)
    .map(([k, v]) => `:${escapeValue(k)}=${escapeValue(v)}`)
    .join('');
}

/** Checks a `.onion` host (v3 length and checksum); other hosts pass. */
function checkOnionHost(input: DescriptorInput, host: string, valueStart: number): void {
  if (!host.endsWith('.onion')) return;
  const problem = checkOnionName(host);
  if (problem !== undefined) fail(input, valueStart + problem.offset, problem.expected);
}

/** Parses the host and port of `tcp:` and `tor:` hints (shared). */
function parseHostPort(input: DescriptorInput): {
  host: string;
  port: number;
  options: Record<string, string>;
} {
  const { positional, unknown } = collectArgs(input, HOST_PORT);
  const [hostToken, portToken] = positional;
  const host = parseHost(input, hostToken);
  checkOnionHost(input, host, hostToken?.valueStart ?? input.start);
  const port = parsePort(input, portToken);
  return { host, port, options: unknown };
}

/** `tcp:HOST:PORT`: a direct TCP destination (legacy `HOST:PORT` is turned into this by the registry). */
export const tcpHintCodec: DescriptorCodec<TcpHint> = {
  name: 'tcp',
  aliases: [],
  kind: 'hint',
  parse(input) {
    const { host, port, options } = parseHostPort(input);
    return withOptions<TcpHint>({ scheme: 'tcp', host, port }, options);
  },
  format(hint) {
    return `tcp:${formatHost(hint.host)}:${hint.port}${formatOptions(hint.options)}`;
  },
  validate(hint, policy) {
    validateByRoundTrip(this, hint, policy);
  },
};

/**
 * `tor:HOST:PORT`: a destination reached through Tor. `.onion` names must be v3 with a valid checksum. Raw IP
 * addresses are refused unless `policy.dangerouslyAllowRawIpToTor` (Arti's `DangerouslyIntoTorAddr`): an IP
 * sends the stream out of an exit relay and usually betrays a local DNS lookup.
 */
export const torHintCodec: DescriptorCodec<TorHint> = {
  name: 'tor',
  aliases: [],
  kind: 'hint',
  parse(input) {
    const { host, port, options } = parseHostPort(input);
    if (isIpLiteral(host) && input.policy.dangerouslyAllowRawIpToTor !== true) {
      const hostToken = input.args.find((t) => t.key === undefined);
      fail(
        input,
        hostToken?.valueStart ?? input.start,
        `a host name or .onion address for Tor, not the raw IP address ${host}`,
        'set dangerouslyAllowRawIpToTor to allow it',
      );
    }
    return withOptions<TorHint>({ scheme: 'tor', host, port }, options);
  },
  format(hint) {
    return `tor:${formatHost(hint.host)}:${hint.port}${formatOptions(hint.options)}`;
  },
  validate(hint, policy) {
    validateByRoundTrip(this, hint, policy);
  },
};

/** `i2p:ADDR[:PORT]`: an I2P destination, `<52 base32>.b32.i2p` or an address-book `.i2p` name. */
export const i2pHintCodec: DescriptorCodec<I2pHint> = {
  name: 'i2p',
  aliases: [],
  kind: 'hint',
  parse(input) {
    const { positional, unknown } = collectArgs(input, {
      positional: ['address', 'port'],
      keys: [],
      keepUnknown: true,
    });
    const [addressToken, portToken] = positional;
    if (addressToken === undefined || addressToken.value === '') {
      fail(input, addressToken?.valueStart ?? input.source.length, 'an I2P address like <52 base32>.b32.i2p');
    }
    const address = addressToken.value.toLowerCase();
    const problem = checkI2pName(address);
    if (problem !== undefined) fail(input, addressToken.valueStart + problem.offset, problem.expected);
    const hint: I2pHint = { scheme: 'i2p', address };
    if (portToken !== undefined) hint.port = parsePort(input, portToken);
    return withOptions(hint, unknown);
  },
  format(hint) {
    const port = hint.port === undefined ? '' : `:${hint.port}`;
    return `i2p:${hint.address}${port}${formatOptions(hint.options)}`;
  },
  validate(hint, policy) {
    validateByRoundTrip(this, hint, policy);
  },
};
