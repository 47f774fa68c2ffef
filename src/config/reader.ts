/**
 * Typed access to a parsed `tahoe.cfg` that never throws: each getter returns the value or its default and
 * records a problem (with file, section, key, value and line) when the text is wrong, so that a single load
 * reports every problem at once.
 *
 * @module
 */
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import {
  type ConfigLocation,
  ConfigPrivacyError,
  type ConfigProblem,
  InvalidConfigValueError,
  MissingConfigValueError,
} from './errors.js';
import { type IniDocument, type IniEntry, type IniSection, interpolateValue } from './ini.js';
import { parseBoolean, parseInteger } from './values.js';

/** Collects problems while the section readers pull typed values out of an {@link IniDocument}. */
export class ConfigReader {
  readonly problems: ConfigProblem[] = [];

  constructor(
    readonly document: IniDocument,
    /** The node directory; relative paths in values resolve against it. */
    readonly baseDir: string,
  ) {}

  /** The section, if the file has it. */
  section(name: string): IniSection | undefined {
    return this.document.sections.get(name);
  }

  /** The entry for `key` (case-insensitive) in `section`, if set. */
  entry(section: string, key: string): IniEntry | undefined {
    return this.document.sections.get(section)?.entries.get(key.toLowerCase());
  }

  /**
   * Where `section`/`key` is, for a message (the line and the raw value when the key is set). FURL values are
   * redacted: their last part is a secret that grants access.
   */
  where(section: string, key: string): ConfigLocation {
    const entry = this.entry(section, key);
    return {
      file: this.document.file,
      section,
      key: entry?.key ?? key,
      value:
        entry === undefined
          ? undefined
          : key.toLowerCase().endsWith('.furl')
            ? redactFurl(entry.raw)
            : entry.raw,
      line: entry?.line ?? this.section(section)?.line,
    };
  }

  /** Records a problem. */
  report(problem: ConfigProblem): void {
    this.problems.push(problem);
  }

  /** True if a problem was already recorded for `section`/`key` (so dependent checks can stay quiet). */
  hasProblem(section: string, key: string): boolean {
    const name = key.toLowerCase();
    return this.problems.some((p) => p.section === section && p.key.toLowerCase() === name);
  }

  /** Records an {@link InvalidConfigValueError} for `section`/`key`. */
  invalid(section: string, key: string, reason: string): void {
    this.report(new InvalidConfigValueError(this.where(section, key), reason));
  }

  /** Records a {@link MissingConfigValueError} for `section`/`key`. */
  missing(section: string, key: string, reason: string): void {
    this.report(new MissingConfigValueError(this.where(section, key), reason));
  }

  /** Records a {@link ConfigPrivacyError} for `section`/`key`. */
  privacy(section: string, key: string, reason: string): void {
    this.report(new ConfigPrivacyError(this.where(section, key), reason));
  }

  /** The value after `%` interpolation, or `undefined` when unset (or when interpolation failed, recorded). */
  string(section: string, key: string): string | undefined {
    const sec = this.section(section);
    const entry = sec?.entries.get(key.toLowerCase());
    if (sec === undefined || entry === undefined) return undefined;
    try {
      return interpolateValue(this.document, sec, entry);
    } catch (error) {
      this.report(error as ConfigProblem);
      return undefined;
    }
  }

  /** A string that, when set, must not be empty (Tahoe treats an empty value as set-but-empty). */
  nonEmpty(section: string, key: string): string | undefined {
    const value = this.string(section, key);
    return value === undefined || value === '' ? undefined : value;
  }

  /** Applies `parse` to the value, recording its `RangeError` message as an invalid value. */
  parsed<T>(section: string, key: string, parse: (text: string) => T): T | undefined {
    const text = this.string(section, key);
    if (text === undefined) return undefined;
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      this.invalid(section, key, error.message);
      return undefined;
    }
  }

  /** A boolean with Tahoe's spellings; an empty or bad value is reported and `fallback` returned. */
  boolean(section: string, key: string, fallback: boolean): boolean {
    return this.parsed(section, key, parseBoolean) ?? fallback;
  }

  /** An integer in `[min, max]`; an empty value counts as unset (Tahoe's `if value:` checks). */
  integer(section: string, key: string, fallback: number, min?: number, max?: number): number;
  integer(section: string, key: string, fallback: undefined, min?: number, max?: number): number | undefined;
  integer(
    section: string,
    key: string,
    fallback: number | undefined,
    min?: number,
    max?: number,
  ): number | undefined {
    if (this.string(section, key) === '') return fallback;
    return this.parsed(section, key, (text) => parseInteger(text, min, max)) ?? fallback;
  }

  /** A path resolved against the node directory (`~` and `~/...` expand to the home directory). */
  path(section: string, key: string, fallback: string): string;
  path(section: string, key: string, fallback: undefined): string | undefined;
  path(section: string, key: string, fallback: string | undefined): string | undefined {
    const value = this.nonEmpty(section, key) ?? fallback;
    return value === undefined ? undefined : resolveNodePath(this.baseDir, value);
  }

  /** Every key of a section with its interpolated value (for plugin sections), keyed lowercased as Tahoe reads them. */
  all(section: string): Record<string, string> {
    const out: Record<string, string> = {};
    const sec = this.section(section);
    for (const entry of sec?.entries.values() ?? []) {
      const value = this.string(section, entry.name);
      if (value !== undefined) out[entry.name] = value;
    }
    return out;
  }
}

/** Resolves a path from the config against the node directory, expanding a leading `~` like Tahoe. */
function resolveNodePath(baseDir: string, value: string): string {
  const home = homedir();
  const expanded = value === '~' ? home : value.startsWith('~/') ? `${home}${value.slice(1)}` : value;
  return isAbsolute(expanded) ? resolve(expanded) : resolve(baseDir, expanded);
}

/** A FURL with everything after its location (the secret name) replaced, for messages; other text is unchanged. */
export function redactFurl(text: string): string {
  return text.replace(/^(\s*pb:\/\/[^/]*\/)[\s\S]+$/, '$1<redacted>');
}
