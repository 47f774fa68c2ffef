/**
 * Shared argument handling for the built-in codecs: positional tokens, known `key=value` options, unknown options
 * (kept for hints, refused with a suggestion for listen descriptors), and the round-trip validator.
 *
 * @module
 */
import { didYouMean } from '../did-you-mean.js';
import { DescriptorError } from '../errors.js';
import { fail } from '../host.js';
import { type DescriptorToken, tokenize } from '../tokenize.js';
import type { DescriptorCodec, DescriptorInput, ParsePolicy } from '../types.js';

/** The arguments of one descriptor, sorted by how they were written. */
export interface CollectedArgs {
  /** Tokens without `key=`, in order. */
  positional: DescriptorToken[];
  /** Known keys, by name. */
  keyed: Map<string, DescriptorToken>;
  /** Unknown `key=value` options, in order (only when `keepUnknown`). */
  unknown: Record<string, string>;
}

/** What a codec accepts. */
export interface ArgSpec {
  /** Names of the positional arguments, in order (for messages and `key=` aliases). */
  positional: readonly string[];
  /** Names of the `key=value` options understood. */
  keys: readonly string[];
  /** Keep unknown options (hints) or refuse them (listen descriptors). */
  keepUnknown: boolean;
}

const OPTION_KEY = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * Sorts `input.args` into positional and keyword arguments. A positional name may also be given as `name=value`
 * (Twisted allows `tcp:port=3456`); such a key fills that positional slot. Duplicates and surplus positional
 * arguments are refused.
 */
export function collectArgs(input: DescriptorInput, spec: ArgSpec): CollectedArgs {
  const positional: DescriptorToken[] = [];
  const keyed = new Map<string, DescriptorToken>();
  const unknown: Record<string, string> = {};
  const known = [...spec.positional, ...spec.keys];
  for (const token of input.args) {
    if (token.key === undefined) {
      if (positional.length >= spec.positional.length) {
        const after = spec.positional.length === 0 ? `"${input.scheme}"` : `the ${spec.positional.at(-1)}`;
        fail(
          input,
          token.start,
          `nothing more after ${after}, or a key=value option; got ${JSON.stringify(token.value)}`,
        );
      }
      positional.push(token);
      continue;
    }
    const key = token.key;
    if (!OPTION_KEY.test(key))
      fail(input, token.start, `an option name (letters, digits, "_", "-", "."), got ${JSON.stringify(key)}`);
    if (keyed.has(key) || Object.hasOwn(unknown, key))
      fail(input, token.start, `each option once; "${key}" is repeated`);
    if (known.includes(key)) {
      keyed.set(key, token);
    } else if (spec.keepUnknown) {
      unknown[key] = token.value;
    } else {
      const suggestion = didYouMean(key, known);
      const expected =
        known.length === 0 ? `no options for "${input.scheme}"` : `one of the options ${known.join(', ')}`;
      fail(
        input,
        token.start,
        `${expected}; got "${key}"`,
        suggestion === undefined ? undefined : `did you mean "${suggestion}"?`,
      );
    }
  }
  // Positional arguments given by name fill their slots.
  spec.positional.forEach((name, index) => {
    const byName = keyed.get(name);
    if (byName === undefined) return;
    if (positional[index] !== undefined)
      fail(input, byName.start, `"${name}" only once (it was also given by position)`);
    positional[index] = byName;
    keyed.delete(name);
  });
  for (let i = 0; i < positional.length; i++) {
    if (positional[i] === undefined) fail(input, input.start, `the ${spec.positional[i]} to be given`);
  }
  return { positional, keyed, unknown };
}

/** Copies kept options onto a value only when there are some (so parse(format(x)) deep-equals x). */
export function withOptions<T extends object>(value: T, options: Record<string, string>): T {
  return Object.keys(options).length === 0 ? value : { ...value, options };
}

/** Serialises a value with sorted keys, for structural comparison of plain data. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Validates a typed value by formatting and re-parsing it: any problem is reported as a {@link DescriptorError}
 * against the formatted string, and a value that is not in canonical form (e.g. an upper-case host name) is
 * refused too.
 */
export function validateByRoundTrip<T extends { scheme: string }>(
  codec: Pick<DescriptorCodec<T>, 'parse' | 'format' | 'name'>,
  value: T,
  policy: ParsePolicy = {},
): void {
  let text: string;
  try {
    text = codec.format(value);
  } catch (error) {
    throw new DescriptorError(
      { descriptor: String(value.scheme), position: 0, expected: `a well-formed ${codec.name} value` },
      { cause: error },
    );
  }
  const again = parseWith(codec, text, policy);
  if (canonicalJson(again) !== canonicalJson(value)) {
    throw new DescriptorError({
      descriptor: text,
      position: 0,
      expected: `a value in canonical form, ${canonicalJson(again)}; got ${canonicalJson(value)}`,
    });
  }
}

/** Parses `text` (one descriptor of `codec`'s scheme or an alias) with `codec` alone. */
function parseWith<T extends { scheme: string }>(
  codec: Pick<DescriptorCodec<T>, 'parse'>,
  text: string,
  policy: ParsePolicy = {},
  kind: 'config' | 'input' = 'config',
): T {
  const [scheme, ...args] = tokenize(text, text, 0, kind);
  return codec.parse({
    source: text,
    start: 0,
    scheme: (scheme?.value ?? '').toLowerCase(),
    args,
    kind,
    policy,
  });
}
