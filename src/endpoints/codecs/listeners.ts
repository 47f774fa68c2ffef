/**
 * Codecs for listen descriptors (Twisted server endpoints as used by Tahoe-LAFS `tub.port` and `web.port`,
 * `docs/configuration.rst`; txtorcon's `onion:` endpoint; Tahoe's `listen:tor` / `listen:i2p`). `unix:` has its
 * own file, `unix.ts`, with the client form.
 *
 * Unknown options are refused with a did-you-mean: these strings come from the user's own configuration, where a
 * typo silently ignored would listen somewhere unexpected.
 *
 * @module
 */
import { isIP } from 'node:net';
import { fail, parsePort } from '../host.js';
import { escapeValue } from '../tokenize.js';
import type { DescriptorCodec, DisabledListen, OnionListen, ProviderListen, TcpListen } from '../types.js';
import { collectArgs, validateByRoundTrip } from './args.js';

/**
 * `tcp:PORT[:interface=ADDR]`, also `tcp:port=PORT`. The alias `tcp6:` defaults the interface to `::`. The
 * interface must be an IP address (IPv6 colons escaped as `\:`, Twisted style).
 */
export const tcpListenCodec: DescriptorCodec<TcpListen> = {
  name: 'tcp',
  aliases: ['tcp6'],
  kind: 'listen',
  parse(input) {
    const { positional, keyed } = collectArgs(input, {
      positional: ['port'],
      keys: ['interface'],
      keepUnknown: false,
    });
    // Port 0 asks the kernel for a free port (Twisted's meaning); config refuses it where the port is published.
    const port = parsePort(input, positional[0], 'port', 0);
    const result: TcpListen = { scheme: 'tcp', port };
    const iface = keyed.get('interface');
    if (iface !== undefined) {
      const family = isIP(iface.value);
      if (family === 0)
        fail(input, iface.valueStart, `an IP address for interface, got ${JSON.stringify(iface.value)}`);
      if (input.scheme === 'tcp6' && family !== 6)
        fail(input, iface.valueStart, 'an IPv6 interface address for tcp6');
      result.interface = iface.value.toLowerCase();
    } else if (input.scheme === 'tcp6') {
      result.interface = '::';
    }
    return result;
  },
  format(value) {
    return `tcp:${value.port}${value.interface === undefined ? '' : `:interface=${escapeValue(value.interface)}`}`;
  },
  validate(value, policy) {
    validateByRoundTrip(this, value, policy);
  },
};

/** `onion:VIRTPORT[:localPort=P][:hiddenServiceDir=DIR][:privateKeyFile=F]` (txtorcon's endpoint syntax). */
export const onionListenCodec: DescriptorCodec<OnionListen> = {
  name: 'onion',
  aliases: [],
  kind: 'listen',
  parse(input) {
    const { positional, keyed } = collectArgs(input, {
      positional: ['port'],
      keys: ['localPort', 'hiddenServiceDir', 'privateKeyFile'],
      keepUnknown: false,
    });
    const result: OnionListen = {
      scheme: 'onion',
      virtualPort: parsePort(input, positional[0], 'virtual port'),
    };
    const local = keyed.get('localPort');
    if (local !== undefined) result.localPort = parsePort(input, local, 'localPort');
    for (const key of ['hiddenServiceDir', 'privateKeyFile'] as const) {
      const token = keyed.get(key);
      if (token === undefined) continue;
      if (token.value === '' || token.value.includes('\0'))
        fail(input, token.valueStart, `a file path for ${key}`);
      result[key] = token.value;
    }
    return result;
  },
  format(value) {
    let text = `onion:${value.virtualPort}`;
    if (value.localPort !== undefined) text += `:localPort=${value.localPort}`;
    if (value.hiddenServiceDir !== undefined)
      text += `:hiddenServiceDir=${escapeValue(value.hiddenServiceDir)}`;
    if (value.privateKeyFile !== undefined) text += `:privateKeyFile=${escapeValue(value.privateKeyFile)}`;
    return text;
  },
  validate(value, policy) {
    validateByRoundTrip(this, value, policy);
  },
};

/** `listen:tor` / `listen:i2p`: let the Tor or I2P provider create the listener from `[tor]` / `[i2p]`. */
export const providerListenCodec: DescriptorCodec<ProviderListen> = {
  name: 'listen',
  aliases: [],
  kind: 'listen',
  parse(input) {
    const { positional } = collectArgs(input, { positional: ['transport'], keys: [], keepUnknown: false });
    const token = positional[0];
    const transport = token?.value.toLowerCase();
    if (token === undefined || (transport !== 'tor' && transport !== 'i2p')) {
      return fail(input, token?.valueStart ?? input.source.length, '"tor" or "i2p" after "listen:"');
    }
    return { scheme: 'listen', transport };
  },
  format(value) {
    return `listen:${value.transport}`;
  },
  validate(value, policy) {
    validateByRoundTrip(this, value, policy);
  },
};

/** `disabled`: no listener. The registry only accepts it as the entire value. */
export const disabledListenCodec: DescriptorCodec<DisabledListen> = {
  name: 'disabled',
  aliases: [],
  kind: 'listen',
  parse(input) {
    collectArgs(input, { positional: [], keys: [], keepUnknown: false });
    return { scheme: 'disabled' };
  },
  format() {
    return 'disabled';
  },
  validate(value, policy) {
    validateByRoundTrip(this, value, policy);
  },
};
