/**
 * A registry of descriptor codecs: parses and formats connection hints, listen descriptors and their
 * comma-separated lists (Tahoe-LAFS `docs/configuration.rst`: `tub.port`, `tub.location`, `web.port`,
 * "Connection Management"). There is no global instance: create one with {@link createDefaultRegistry} and pass
 * it where it is needed; library users `register()` their own schemes on it.
 *
 * @module
 */

import { i2pHintCodec, tcpHintCodec, torHintCodec } from './codecs/hints.js';
import {
  disabledListenCodec,
  onionListenCodec,
  providerListenCodec,
  tcpListenCodec,
} from './codecs/listeners.js';
import { unixListenCodec } from './codecs/unix.js';
import { didYouMean } from './did-you-mean.js';
import { fail } from './host.js';
import { formatLocation, parseLocation } from './location.js';
import { type ListItem, splitList, tokenize } from './tokenize.js';
import type {
  ConnectionHint,
  DescriptorCodec,
  DescriptorInput,
  ListenDescriptor,
  LocationItem,
  ParsePolicy,
} from './types.js';

/** Options for one parse call. */
export interface ParseOptions {
  /** `config` (default) for the user's settings, `input` for data received from peers. Sets the error kind. */
  kind?: 'config' | 'input';
  /** Overrides the registry's policy for this call. */
  policy?: ParsePolicy;
}

type Kind = DescriptorCodec['kind'];

/** A set of codecs, keyed by kind and scheme name (or alias). */
export class DescriptorRegistry {
  readonly #codecs = new Map<string, DescriptorCodec>();
  readonly #policy: ParsePolicy;

  /** @param policy - the default parse policy (e.g. `{ dangerouslyAllowRawIpToTor: true }`). */
  constructor(codecs: Iterable<DescriptorCodec> = [], policy: ParsePolicy = {}) {
    this.#policy = { ...policy };
    for (const codec of codecs) this.register(codec);
  }

  /** Adds a codec. Throws a TypeError if its name or an alias is already taken for the same kind. */
  register(codec: DescriptorCodec): this {
    const names = [codec.name, ...codec.aliases].map((n) => n.toLowerCase());
    for (const name of names) {
      if (!/^[a-z][a-z0-9+.-]*$/.test(name))
        throw new TypeError(`codec scheme name must be [a-z][a-z0-9+.-]*, got ${JSON.stringify(name)}`);
      if (this.#codecs.has(`${codec.kind}:${name}`))
        throw new TypeError(`a ${codec.kind} codec for "${name}" is already registered`);
    }
    for (const name of names) this.#codecs.set(`${codec.kind}:${name}`, codec);
    return this;
  }

  /** The codec for `scheme` (a name or alias, any case), if any. */
  codec(kind: Kind, scheme: string): DescriptorCodec | undefined {
    return this.#codecs.get(`${kind}:${scheme.toLowerCase()}`);
  }

  /** Every scheme name and alias registered for `kind`, sorted. */
  schemes(kind: Kind): string[] {
    return [...this.#codecs.keys()]
      .filter((k) => k.startsWith(`${kind}:`))
      .map((k) => k.slice(kind.length + 1))
      .sort();
  }

  /**
   * Parses one connection hint: `tcp:HOST:PORT`, legacy `HOST:PORT` or `[IPv6]:PORT`, `tor:HOST:PORT`,
   * `i2p:ADDR[:PORT]`, or a registered scheme.
   */
  parseHint(text: string, options: ParseOptions = {}): ConnectionHint {
    return this.parseItem('hint', text, this.#single(text, options, 'hint'), options) as ConnectionHint;
  }

  /** Parses a comma-separated list of hints (the location part of a FURL). */
  parseHintList(text: string, options: ParseOptions = {}): ConnectionHint[] {
    return splitList(text, options.kind).map(
      (item) => this.parseItem('hint', text, item, options) as ConnectionHint,
    );
  }

  /** Parses one listen descriptor; a bare integer is Tahoe's legacy spelling of `tcp:PORT`. */
  parseListen(text: string, options: ParseOptions = {}): ListenDescriptor {
    return this.parseItem(
      'listen',
      text,
      this.#single(text, options, 'listen descriptor'),
      options,
    ) as ListenDescriptor;
  }

  /**
   * Parses `tub.port`: comma-separated listen descriptors, or `disabled` alone (which then returns
   * `[{ scheme: 'disabled' }]`). An empty value is an error, as in Tahoe.
   */
  parseListenList(text: string, options: ParseOptions = {}): ListenDescriptor[] {
    const items = splitList(text, options.kind);
    const parsed = items.map((item) => this.parseItem('listen', text, item, options) as ListenDescriptor);
    const disabledAt = parsed.findIndex((d) => d.scheme === 'disabled');
    if (disabledAt >= 0 && parsed.length > 1) {
      fail(
        { source: text, kind: options.kind ?? 'config' },
        items[disabledAt]?.start ?? 0,
        '"disabled" alone, not in a list',
      );
    }
    return parsed;
  }

  /** Parses `tub.location` (hints, `AUTO`/`AUTODETECT`, `UNREACHABLE`, or `disabled` alone); see `location.ts`. */
  parseLocation(text: string, options: ParseOptions = {}): LocationItem[] {
    return parseLocation(this, text, options);
  }

  /** Writes location items in canonical form. */
  formatLocation(items: readonly LocationItem[]): string {
    return formatLocation(this, items);
  }

  /** Writes the canonical form of a hint. Throws a TypeError for a scheme with no codec. */
  formatHint(hint: ConnectionHint): string {
    return this.#codecFor('hint', hint.scheme).format(hint);
  }

  /** Writes the canonical form of a listen descriptor. */
  formatListen(descriptor: ListenDescriptor): string {
    return this.#codecFor('listen', descriptor.scheme).format(descriptor);
  }

  /** Writes a list of listen descriptors, comma-separated. */
  formatListenList(descriptors: readonly ListenDescriptor[]): string {
    return descriptors.map((d) => this.formatListen(d)).join(',');
  }

  /** Writes a list of hints, comma-separated. */
  formatHintList(hints: readonly ConnectionHint[]): string {
    return hints.map((h) => this.formatHint(h)).join(',');
  }

  /** Checks a hand-built hint; throws `DescriptorError` if it is invalid or not canonical. */
  validateHint(hint: ConnectionHint, policy: ParsePolicy = this.#policy): void {
    this.#codecFor('hint', hint.scheme).validate(hint, policy);
  }

  /** Checks a hand-built listen descriptor. */
  validateListen(descriptor: ListenDescriptor, policy: ParsePolicy = this.#policy): void {
    this.#codecFor('listen', descriptor.scheme).validate(descriptor, policy);
  }

  /** The only item of `text`; refuses a comma-separated list. */
  #single(text: string, options: ParseOptions, what: string): ListItem {
    const [item, second] = splitList(text, options.kind);
    if (second !== undefined)
      fail({ source: text, kind: options.kind ?? 'config' }, second.start - 1, `a single ${what} (no ",")`);
    return item ?? { text: '', start: 0 };
  }

  #codecFor(kind: Kind, scheme: string): DescriptorCodec {
    const codec = this.codec(kind, scheme);
    if (codec === undefined)
      throw new TypeError(`no ${kind} codec registered for scheme ${JSON.stringify(scheme)}`);
    return codec;
  }

  /** Parses one list item (`item.text` at `item.start` in `source`). Used by the list and location parsers. */
  parseItem(
    kind: Kind,
    source: string,
    item: ListItem,
    options: ParseOptions = {},
  ): ConnectionHint | ListenDescriptor {
    const errorKind = options.kind ?? 'config';
    const policy = { ...this.#policy, ...options.policy };
    const at = { source, kind: errorKind };
    if (item.text === '') {
      return fail(
        at,
        item.start,
        kind === 'hint' ? 'a connection hint, got nothing' : 'a listen descriptor, got nothing',
      );
    }
    const tokens = tokenize(source, item.text, item.start, errorKind);
    const first = tokens[0];
    if (first === undefined) return fail(at, item.start, 'a scheme');
    const input = (scheme: string, args: DescriptorInput['args']): DescriptorInput => ({
      source,
      start: item.start,
      scheme,
      args,
      kind: errorKind,
      policy,
    });
    if (kind === 'listen' && tokens.length === 1 && /^[0-9]+$/.test(first.value)) {
      // Tahoe: "if this contains a simple integer, it will be used as a TCP port number, like tcp:%d".
      return this.#codecFor('listen', 'tcp').parse(input('tcp', tokens));
    }
    const scheme = first.key === undefined && !first.bracketed ? first.value.toLowerCase() : '';
    const codec = this.codec(kind, scheme);
    if (codec !== undefined) return codec.parse(input(scheme, tokens.slice(1)));
    if (kind === 'hint' && this.#isLegacyHint(tokens)) {
      // Foolscap's legacy form HOST:PORT (and [IPv6]:PORT) means tcp:HOST:PORT.
      return this.#codecFor('hint', 'tcp').parse(input('tcp', tokens));
    }
    const known = this.schemes(kind);
    const suggestion = didYouMean(first.key ?? first.value, known);
    return fail(
      at,
      first.start,
      `a ${kind === 'hint' ? 'hint' : 'listen'} scheme (one of ${known.join(', ')}), got ${JSON.stringify(first.key ?? first.value)}`,
      suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
    );
  }

  #isLegacyHint(tokens: ReturnType<typeof tokenize>): boolean {
    const [host, port, ...rest] = tokens;
    if (
      host === undefined ||
      port === undefined ||
      rest.length > 0 ||
      host.key !== undefined ||
      port.key !== undefined
    )
      return false;
    return (
      /^[0-9]+$/.test(port.value) &&
      (host.bracketed || !this.schemes('hint').includes(host.value.toLowerCase()))
    );
  }
}

/** The codecs lafs ships: `tcp`, `tor`, `i2p` hints and `tcp`/`tcp6`, `unix`, `onion`, `listen`, `disabled` listeners. */
export const builtinCodecs: readonly DescriptorCodec[] = [
  tcpHintCodec,
  torHintCodec,
  i2pHintCodec,
  tcpListenCodec,
  unixListenCodec,
  onionListenCodec,
  providerListenCodec,
  disabledListenCodec,
] as readonly DescriptorCodec[];

/** A new registry holding {@link builtinCodecs}, with `policy` as its default parse policy. */
export function createDefaultRegistry(policy: ParsePolicy = {}): DescriptorRegistry {
  return new DescriptorRegistry(builtinCodecs, policy);
}
