/**
 * A reader for `tahoe.cfg` that accepts exactly what Tahoe-LAFS accepts.
 *
 * Tahoe reads `tahoe.cfg` with Python's `configparser.ConfigParser(strict=False)` (Tahoe-LAFS
 * `docs/configuration.rst`, "INI-style ... RFC822-style continuations"; `allmydata/util/configutil.py`). Its
 * rules, which this reader follows:
 *
 * - `[name]` starts a section (the name is case-sensitive; text after the closing `]` is ignored); a section
 *   named twice is merged.
 * - `key = value` or `key: value`; the key ends at the first `=` or `:`, keys are case-insensitive (lowercased),
 *   key and value are trimmed, the last duplicate wins.
 * - Lines whose first non-blank character is `#` or `;` are comments. There are NO inline comments:
 *   `nickname = a ; b` has the value `a ; b`.
 * - A line indented deeper than its key line continues the value (joined with `\n`); blank lines inside a
 *   multi-line value are kept, trailing ones dropped.
 * - A UTF-8 byte-order mark at the start is ignored.
 * - Values undergo `%` interpolation when read (`%%` is a literal `%`, `%(key)s` is another key of the same
 *   section); a lone `%` is an error. See {@link interpolateValue}.
 *
 * The `ini` npm package was checked and does not match these rules (it strips inline `;`/`#` comments, turns
 * continuation lines into keys, keeps key case, nests dotted section names and converts `true` to a boolean),
 * so it would silently change values in real Tahoe node directories; hence this small dedicated reader.
 *
 * @module
 */
import { ConfigSyntaxError } from './errors.js';

/** One `key = value` item. */
export interface IniEntry {
  /** The key as written (trimmed), for messages. */
  key: string;
  /** The lookup name: the key lowercased, as `ConfigParser` does. */
  name: string;
  /** The value before `%` interpolation; multi-line values are joined with `\n`. */
  raw: string;
  /** The 1-based line of the key. */
  line: number;
}

/** One `[section]`, with its entries by lowercased key, in file order. */
export interface IniSection {
  name: string;
  /** The 1-based line of the first header naming this section. */
  line: number;
  entries: Map<string, IniEntry>;
}

/** A parsed file: its sections in file order. `[DEFAULT]` is kept as an ordinary section. */
export interface IniDocument {
  file: string;
  sections: Map<string, IniSection>;
}

/** The result of {@link parseIni}: the document and every line that could not be parsed. */
export interface IniParseResult {
  document: IniDocument;
  problems: ConfigSyntaxError[];
}

const SECTION_HEADER = /^\[(.+)\]/;
const OPTION_LINE = /^(.*?)\s*([=:])\s*(.*)$/;

/** Parses the text of an INI file as `ConfigParser(strict=False)` would, collecting every bad line. */
export function parseIni(text: string, file: string): IniParseResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const sections = new Map<string, IniSection>();
  const problems: ConfigSyntaxError[] = [];
  // Multi-line values are assembled as lists of lines, then joined.
  const pending = new Map<IniEntry, string[]>();
  let current: IniSection | undefined;
  let currentEntry: IniEntry | undefined;
  let indentLevel = 0;

  const lines = body.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const lineNumber = index + 1;
    const stripped = line.trim();
    const isComment = stripped.startsWith('#') || stripped.startsWith(';');
    if (stripped === '' || isComment) {
      // An empty line may belong to a multi-line value; a comment line never does, but does not end it.
      if (!isComment && currentEntry !== undefined) pending.get(currentEntry)?.push('');
      continue;
    }
    const indent = line.search(/\S/);
    if (current !== undefined && currentEntry !== undefined && indent > indentLevel) {
      pending.get(currentEntry)?.push(stripped);
      continue;
    }
    indentLevel = indent;
    const header = SECTION_HEADER.exec(stripped);
    if (header) {
      const name = header[1] ?? '';
      let section = sections.get(name);
      if (section === undefined) {
        section = { name, line: lineNumber, entries: new Map() };
        sections.set(name, section);
      }
      current = section;
      currentEntry = undefined;
      continue;
    }
    if (current === undefined) {
      problems.push(
        new ConfigSyntaxError(
          { file, section: '', key: '', line: lineNumber, value: stripped },
          `"${stripped}" comes before any [section] header`,
        ),
      );
      continue;
    }
    const option = OPTION_LINE.exec(stripped);
    const key = option?.[1] ?? '';
    if (option === null || key === '') {
      problems.push(
        new ConfigSyntaxError(
          { file, section: current.name, key: '', line: lineNumber, value: stripped },
          option === null
            ? `"${stripped}" is neither a [section] header nor a "key = value" line`
            : `"${stripped}" has no key before "${option[2]}"`,
        ),
      );
      continue;
    }
    const entry: IniEntry = { key, name: key.toLowerCase(), raw: '', line: lineNumber };
    current.entries.delete(entry.name); // the last duplicate wins, at its own position
    current.entries.set(entry.name, entry);
    pending.set(entry, [option[3] ?? '']);
    currentEntry = entry;
  }
  for (const [entry, parts] of pending) entry.raw = parts.join('\n').trimEnd();
  return { document: { file, sections }, problems };
}

/** `ConfigParser`'s limit on nested `%(key)s` references. */
const MAX_INTERPOLATION_DEPTH = 10;
const REFERENCE = /^%\(([^)]+)\)s/;

/**
 * Expands `%%` and `%(key)s` in an entry's value the way `ConfigParser`'s `BasicInterpolation` does when Tahoe
 * reads it. References resolve within the same section, then in `[DEFAULT]`.
 *
 * @throws {ConfigSyntaxError} for a lone `%`, a malformed or unknown reference, or references nested too deep.
 */
export function interpolateValue(document: IniDocument, section: IniSection, entry: IniEntry): string {
  const where = {
    file: document.file,
    section: section.name,
    key: entry.key,
    value: entry.raw,
    line: entry.line,
  };
  const lookup = (name: string): IniEntry | undefined =>
    section.entries.get(name) ?? document.sections.get('DEFAULT')?.entries.get(name);

  const expand = (text: string, depth: number): string => {
    if (depth > MAX_INTERPOLATION_DEPTH) {
      throw new ConfigSyntaxError(
        where,
        `%(...)s references nest deeper than ${MAX_INTERPOLATION_DEPTH} levels`,
      );
    }
    let out = '';
    let rest = text;
    while (rest !== '') {
      const at = rest.indexOf('%');
      if (at < 0) return out + rest;
      out += rest.slice(0, at);
      rest = rest.slice(at);
      if (rest.startsWith('%%')) {
        out += '%';
        rest = rest.slice(2);
        continue;
      }
      const reference = REFERENCE.exec(rest);
      if (reference === null) {
        throw new ConfigSyntaxError(
          where,
          `"%" must be followed by "%" or "(name)s" (write "%%" for a literal percent sign), found "${rest}"`,
        );
      }
      const name = (reference[1] ?? '').toLowerCase();
      const target = lookup(name);
      if (target === undefined) {
        throw new ConfigSyntaxError(
          where,
          `the value refers to %(${name})s, which is not set in [${section.name}]`,
        );
      }
      out += expand(target.raw, depth + 1);
      rest = rest.slice(reference[0].length);
    }
    return out;
  };
  return expand(entry.raw, 1);
}
