/**
 * Quoting and tokenising of control-protocol arguments (control-spec 2.1, 2.1.1, 3.1).
 *
 * Outgoing values are written as QuotedStrings (backslash before `\` and `"`). Incoming quoted values are read
 * as the spec recommends for compatibility with Tor's CString bug (2.1.1): `\n`, `\t`, `\r` and octal `\0`..`\377`
 * are C escapes, a backslash before any other character is that character.
 *
 * @module
 */
import { TorProtocolError } from './errors.js';

/** Characters that can never appear in a command line, quoted or not. */
const FORBIDDEN = /[\r\n\0]/;

/**
 * Quotes `value` as a control-spec QuotedString (section 2.1). Throws `RangeError` for CR, LF or NUL, which no
 * single-line command can carry.
 */
export function quoteString(value: string, label = 'value'): string {
  if (FORBIDDEN.test(value))
    throw new RangeError(`${label} must not contain CR, LF or NUL: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Checks that `value` can be sent as a bare (unquoted) argument: printable, no spaces, no quotes.
 * Throws `RangeError` naming `label` otherwise.
 */
export function assertBareArgument(value: string, label: string): string {
  if (value.length === 0 || !/^[\x21-\x7e]+$/.test(value) || value.includes('"')) {
    throw new RangeError(
      `${label} must be non-empty printable ASCII without spaces or quotes: ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Reads a quoted string starting at `text[start]` (which must be `"`), returning the decoded value and the index
 * just after the closing quote. Decodes C escapes per section 2.1.1 into bytes, then UTF-8.
 */
export function readQuoted(text: string, start: number): { value: string; end: number } {
  if (text[start] !== '"')
    throw new TorProtocolError(`expected a quoted string at offset ${start} of ${JSON.stringify(text)}`);
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      if (next === undefined) break;
      const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1, i + 4));
      if (octal) {
        bytes.push(Number.parseInt(octal[0], 8) & 0xff);
        i += 1 + octal[0].length;
        continue;
      }
      const simple = next === 'n' ? 10 : next === 't' ? 9 : next === 'r' ? 13 : undefined;
      if (simple !== undefined) bytes.push(simple);
      else for (const b of Buffer.from(next, 'utf8')) bytes.push(b);
      i += 2;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
    i += ch.length;
  }
  throw new TorProtocolError(`unterminated quoted string in ${JSON.stringify(text)}`);
}

/** Positional words and `KEY=value` pairs of one reply line. */
export interface ParsedArguments {
  /** Words without `=` (quoted words are unquoted), in order. */
  readonly positional: readonly string[];
  /** `KEY=value` pairs (value unquoted if it was quoted); a repeated key keeps its first value. */
  readonly keyed: ReadonlyMap<string, string>;
}

/**
 * Splits a reply line into positional words and `KEY=value` pairs, values being bare (up to the next space) or
 * QuotedStrings - the shape of PROTOCOLINFO lines, AUTHCHALLENGE replies and most events (section 4.1).
 */
export function parseArguments(text: string): ParsedArguments {
  const positional: string[] = [];
  const keyed = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ') {
      i++;
      continue;
    }
    if (text[i] === '"') {
      const q = readQuoted(text, i);
      positional.push(q.value);
      i = q.end;
      continue;
    }
    let j = i;
    while (j < text.length && text[j] !== ' ' && text[j] !== '=') j++;
    const word = text.slice(i, j);
    if (text[j] !== '=') {
      positional.push(word);
      i = j;
      continue;
    }
    let value: string;
    if (text[j + 1] === '"') {
      const q = readQuoted(text, j + 1);
      value = q.value;
      i = q.end;
    } else {
      let k = j + 1;
      while (k < text.length && text[k] !== ' ') k++;
      value = text.slice(j + 1, k);
      i = k;
    }
    if (!keyed.has(word)) keyed.set(word, value);
  }
  return { positional, keyed };
}
