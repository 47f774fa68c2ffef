/**
 * Parsers for the scalar value types of `tahoe.cfg`, with Tahoe-LAFS's exact spellings. Each returns the
 * parsed value or throws a `RangeError` whose message explains what was expected; the schema readers turn that
 * into an {@link InvalidConfigValueError} naming file, section and key.
 *
 * @module
 */

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['1', true],
  ['yes', true],
  ['true', true],
  ['on', true],
  ['0', false],
  ['no', false],
  ['false', false],
  ['off', false],
]);

/**
 * A boolean as `ConfigParser.getboolean` reads it (Tahoe-LAFS `docs/configuration.rst`, "boolean"): one of
 * true/yes/on/1 or false/no/off/0, case-insensitive. Anything else, including the empty string, is refused.
 */
export function parseBoolean(text: string): boolean {
  const value = BOOLEANS.get(text.trim().toLowerCase());
  if (value === undefined) {
    throw new RangeError(`"${text}" is not a boolean (use true/false, yes/no, on/off or 1/0)`);
  }
  return value;
}

/**
 * A decimal integer as Python's `int()` reads it: optional sign, digits, optional `_` between digits,
 * surrounding blanks allowed. Bounds are checked by the caller-supplied `min`/`max`.
 */
export function parseInteger(
  text: string,
  min = Number.MIN_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(_\d+)*$/.test(trimmed)) throw new RangeError(`"${text}" is not an integer`);
  const value = Number(trimmed.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${trimmed} is out of range (expected ${min}..${max})`);
  }
  return value;
}

const SIZE_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ['', 1],
  ['I', 1],
  ['K', 1e3],
  ['M', 1e6],
  ['G', 1e9],
  ['T', 1e12],
  ['P', 1e15],
  ['E', 1e18],
  ['KI', 2 ** 10],
  ['MI', 2 ** 20],
  ['GI', 2 ** 30],
  ['TI', 2 ** 40],
  ['PI', 2 ** 50],
  ['EI', 2 ** 60],
]);

/**
 * A byte count such as `1G`, `100MB`, `100000kb`, `1GiB` or `1048576B`, as Tahoe-LAFS's
 * `abbreviate.parse_abbreviated_size` reads it (`docs/configuration.rst`, `[storage] reserved_space`):
 * digits, then an optional case-insensitive K/M/G/T/P/E scale (powers of 1000, or of 1024 with a following
 * `i`), then an optional `B`. Tahoe does not allow blanks. Results beyond 2^53 are refused rather than rounded.
 *
 * @returns the size in bytes, or `undefined` for the empty string (Tahoe: "no value").
 */
export function parseAbbreviatedSize(text: string): number | undefined {
  if (text === '') return undefined;
  const match = /^(\d+)([KMGTPE]?I?B?)$/.exec(text.toUpperCase());
  if (match === null) {
    throw new RangeError(`"${text}" is not a size (examples: 1G, 100MB, 500000kB, 1GiB, 1048576)`);
  }
  const digits = match[1] ?? '0';
  const suffix = (match[2] ?? '').replace(/B$/, '');
  const multiplier = SIZE_MULTIPLIERS.get(suffix);
  if (multiplier === undefined) throw new RangeError(`"${text}" has an unknown size suffix`);
  const bytes = BigInt(digits) * BigInt(multiplier);
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`"${text}" is too large`);
  return Number(bytes);
}

const DAY = 24 * 60 * 60;
const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ['s', 1],
  ['second', 1],
  ['seconds', 1],
  ['day', DAY],
  ['days', DAY],
  ['mo', 31 * DAY],
  ['month', 31 * DAY],
  ['months', 31 * DAY],
  ['year', 365 * DAY],
  ['years', 365 * DAY],
]);

/**
 * A duration such as `60 days`, `2mo` or `3600s`, as Tahoe-LAFS's `time_format.parse_duration` reads it
 * (`[storage] expire.override_lease_duration`; `docs/garbage-collection.rst`): a number and one of
 * s/second(s)/day(s)/mo/month(s)/year(s), case-insensitive. A month is 31 days, a year 365.
 *
 * @returns the duration in seconds.
 */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  const unit = DURATION_UNITS.get((match?.[2] ?? '').toLowerCase());
  if (match === null || unit === undefined) {
    throw new RangeError(
      `"${text}" is not a duration (a number and one of: ${[...DURATION_UNITS.keys()].join(', ')})`,
    );
  }
  return Number(match[1]) * unit;
}

/**
 * A date `YYYY-MM-DD`, as Tahoe-LAFS's `time_format.parse_date` reads it (`[storage] expire.cutoff_date`).
 *
 * @returns seconds since the epoch at the UTC midnight starting that day.
 */
export function parseDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match !== null) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, day);
    const back = new Date(ms);
    if (back.getUTCFullYear() === year && back.getUTCMonth() === month - 1 && back.getUTCDate() === day) {
      return ms / 1000;
    }
  }
  throw new RangeError(`"${text}" is not a date (expected YYYY-MM-DD, e.g. 2009-01-31)`);
}

/** A comma-separated list with blanks around items removed and empty items dropped. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
