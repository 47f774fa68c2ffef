/**
 * The lexical layer of Twisted's endpoint-descriptor syntax, as used by Tahoe-LAFS for `tub.port`,
 * `tub.location` and `web.port` (`docs/configuration.rst`).
 *
 * Grammar (positions are 0-based character offsets into the whole string):
 *
 *   list       = item *( "," item )            ; whitespace around items is ignored
 *   item       = token *( ":" token )
 *   token      = "[" *(any but "]") "]"        ; an IPv6 literal, colons allowed inside
 *              / [ key "=" ] value
 *   escape     = "\" any                       ; the character stands for itself: "\:", "\=", "\,", "\\"
 *
 * @module
 */
import { DescriptorError } from './errors.js';

/** One `:`-separated token of a descriptor, unescaped, with where it came from. */
export interface DescriptorToken {
  /** The unescaped value (after `key=` when there is one; brackets removed for `[...]`). */
  value: string;
  /** The unescaped key of a `key=value` token. */
  key?: string;
  /** Position of the token's first character. */
  start: number;
  /** Position of the value's first character (after `key=`, or after `[`). */
  valueStart: number;
  /** True for a `[...]` token. */
  bracketed: boolean;
}

/** One comma-separated item of a list, still escaped, with its position. */
export interface ListItem {
  text: string;
  start: number;
}

/** The longest descriptor or list we parse; longer input is refused rather than scanned. */
export const MAX_DESCRIPTOR_LENGTH = 8192;

/** Characters that `escapeValue` protects with a backslash. */
const SPECIAL = new Set(['\\', ':', '=', ',']);

/**
 * Escapes `\`, `:`, `=` and `,` (and whitespace at either end, which list parsing would trim) so that `value`
 * reads back as one token value.
 */
export function escapeValue(value: string): string {
  const chars = [...value];
  const lastInner = chars.length - 1;
  return chars
    .map((ch, i) => (SPECIAL.has(ch) || ((i === 0 || i === lastInner) && /\s/.test(ch)) ? `\\${ch}` : ch))
    .join('');
}

function checkLength(source: string, kind: 'config' | 'input'): void {
  if (source.length > MAX_DESCRIPTOR_LENGTH) {
    throw new DescriptorError({
      descriptor: `${source.slice(0, 64)}...`,
      position: MAX_DESCRIPTOR_LENGTH,
      expected: `at most ${MAX_DESCRIPTOR_LENGTH} characters, got ${source.length}`,
      kind,
    });
  }
}

/**
 * Splits `source` at unescaped commas; each item is trimmed of unescaped whitespace and keeps its absolute
 * position.
 */
export function splitList(source: string, kind: 'config' | 'input' = 'config'): ListItem[] {
  checkLength(source, kind);
  const items: ListItem[] = [];
  // First and one-past-last significant (non-blank or escaped) character of the current item.
  let first = -1;
  let end = 0;
  const push = (at: number): void => {
    items.push(first < 0 ? { text: '', start: at } : { text: source.slice(first, end), start: first });
    first = -1;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (ch === ',') {
      push(i);
      continue;
    }
    if (ch === '\\' || !/\s/.test(ch)) {
      if (first < 0) first = i;
      if (ch === '\\') i++;
      end = Math.min(i + 1, source.length);
    }
  }
  push(source.length);
  return items;
}

/**
 * Splits one descriptor (`text`, found at `offset` in `source`) into tokens at unescaped colons, unescaping
 * each and splitting `key=value` at the first unescaped `=`.
 */
export function tokenize(
  source: string,
  text: string,
  offset: number,
  kind: 'config' | 'input' = 'config',
): DescriptorToken[] {
  checkLength(text, kind);
  const tokens: DescriptorToken[] = [];
  let i = 0;
  const fail = (position: number, expected: string): never => {
    throw new DescriptorError({ descriptor: source, position: offset + position, expected, kind });
  };
  for (;;) {
    const start = i;
    if (text[i] === '[') {
      const close = text.indexOf(']', i);
      if (close < 0) fail(i, 'a "]" closing the IPv6 address');
      const after = text[close + 1];
      if (after !== undefined && after !== ':') fail(close + 1, '":" after "]"');
      tokens.push({
        value: text.slice(i + 1, close),
        start: offset + start,
        valueStart: offset + i + 1,
        bracketed: true,
      });
      i = close + 1;
    } else {
      let value = '';
      let key: string | undefined;
      let valueStart = start;
      while (i < text.length && text[i] !== ':') {
        const ch = text[i];
        if (ch === '\\') {
          const next = text[i + 1];
          if (next === undefined) fail(i, 'a character after the backslash');
          value += next;
          i += 2;
          continue;
        }
        if (ch === '=' && key === undefined) {
          key = value;
          value = '';
          valueStart = i + 1;
        } else {
          value += ch;
        }
        i++;
      }
      const token: DescriptorToken = {
        value,
        start: offset + start,
        valueStart: offset + valueStart,
        bracketed: false,
      };
      if (key !== undefined) token.key = key;
      tokens.push(token);
    }
    if (i >= text.length) break;
    i++; // the ':' separator
  }
  return tokens;
}
