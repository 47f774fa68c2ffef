/**
 * Parsing and formatting of single SAM v3 protocol lines (sans-IO).
 *
 * Implements the message syntax of the SAM v3 specification ("SAM Overview": commands and replies are one line
 * of ASCII, two upper-case words then `KEY=value` pairs, terminated by `\n`; values may be double-quoted since
 * API 0.9.?/SAM 3.2 with `\"` and `\\` escapes). Typed interpretation of the lines is in `sam-replies.ts`.
 *
 * @module
 */
import { SamProtocolError } from './errors.js';

/** One parsed SAM line: `HELLO REPLY RESULT=OK VERSION=3.1` is verb `HELLO`, action `REPLY` and two params. */
export interface SamMessage {
  /** The first word (`HELLO`, `SESSION`, `STREAM`, `NAMING`, `DEST`, `PING`...). */
  readonly verb: string;
  /** The second word (`REPLY`, `STATUS`...), or `''` for a one-word line or PING/PONG. */
  readonly action: string;
  /** The `KEY=value` pairs; a bare `KEY` maps to `''`. Later duplicates overwrite earlier ones. */
  readonly params: ReadonlyMap<string, string>;
  /** For `PING`/`PONG` only: the free text after the verb (echoed back verbatim). */
  readonly text?: string;
}

/*
 * Grammar of a reply line, as this parser accepts it (the line has already been split off at `\n`, and a
 * trailing `\r` removed):
 *
 *   line    = *SP verb [SP action] *(1*SP pair) *SP
 *           / ("PING" / "PONG") [SP text]          ; SAM 3.2 keep-alive, text echoed verbatim
 *   verb    = 1*(ALPHA / DIGIT / "_")
 *   action  = 1*(ALPHA / DIGIT / "_")              ; only if it contains no "="
 *   pair    = key ["=" value]                     ; a bare key has the empty value
 *   key     = 1*(VCHAR except "=" and DQUOTE)
 *   value   = quoted / bare
 *   bare    = *(VCHAR except DQUOTE)              ; MAY contain "=": I2P base64 pads with "=",
 *                                                 ; so a pair is split on its FIRST "=" only
 *   quoted  = DQUOTE *(qchar / "\" DQUOTE / "\" "\") DQUOTE
 *   qchar   = any character except DQUOTE, "\" and LF
 */

const WORD = /^[A-Za-z0-9_]+$/;

/**
 * Parses one SAM line (without its newline) into a {@link SamMessage}.
 *
 * @throws SamProtocolError on an empty line, a bad verb, an unterminated quote or an empty key, naming the
 *   column.
 */
export function parseSamLine(line: string): SamMessage {
  let i = 0;
  const n = line.length;
  const skipSpaces = (): void => {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && line[i] !== ' ' && line[i] !== '\t') i++;
    return line.slice(start, i);
  };
  const fail = (what: string): never => {
    throw new SamProtocolError(
      `malformed SAM line at column ${i + 1}: ${what}: ${JSON.stringify(clip(line))}`,
    );
  };

  skipSpaces();
  const verb = readToken();
  if (verb === '') fail('empty line');
  if (!WORD.test(verb)) fail(`bad verb ${JSON.stringify(clip(verb))}`);
  if (verb === 'PING' || verb === 'PONG') {
    const text = i < n ? line.slice(i + 1) : '';
    return { verb, action: '', params: new Map(), text };
  }
  skipSpaces();
  let action = '';
  const actionStart = i;
  const maybeAction = readToken();
  if (
    maybeAction !== '' &&
    !maybeAction.includes('=') &&
    !maybeAction.includes('"') &&
    WORD.test(maybeAction)
  ) {
    action = maybeAction;
  } else {
    i = actionStart;
  }

  const params = new Map<string, string>();
  for (;;) {
    skipSpaces();
    if (i >= n) break;
    const keyStart = i;
    while (i < n && line[i] !== '=' && line[i] !== ' ' && line[i] !== '\t' && line[i] !== '"') i++;
    const key = line.slice(keyStart, i);
    if (key === '') fail('expected a key');
    if (i >= n || line[i] === ' ' || line[i] === '\t') {
      params.set(key, '');
      continue;
    }
    if (line[i] === '"') fail(`quote inside key ${JSON.stringify(key)}`);
    i++; // the first "=": everything after it belongs to the value
    if (line[i] === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < n) {
        const c = line[i]!;
        if (c === '\\' && i + 1 < n && (line[i + 1] === '"' || line[i + 1] === '\\')) {
          value += line[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += c;
          i++;
        }
      }
      if (!closed) fail(`unterminated quoted value for ${key}`);
      if (i < n && line[i] !== ' ' && line[i] !== '\t') fail(`text after the closing quote of ${key}`);
      params.set(key, value);
    } else {
      params.set(key, readToken());
    }
  }
  return { verb, action, params };
}

/** A parameter value as callers hand it to {@link formatSamCommand}; `undefined` leaves the key out. */
export type SamParamValue = string | number | boolean | undefined;

const KEY = /^[A-Za-z0-9_.\-:]+$/;

/**
 * Formats one SAM command line, including its terminating `\n`.
 *
 * Keys must be plain words (I2CP option names such as `inbound.length` included). Values are written bare when
 * possible (i2pd 2.45 does not understand quotes) and quoted with `\"`/`\\` escapes when they contain a space,
 * a quote or are empty.
 *
 * @throws RangeError when a key is not a plain word, or a key or value contains a newline, CR or NUL (which
 *   would let a value inject a second command).
 */
export function formatSamCommand(
  verb: string,
  action: string,
  params: Iterable<readonly [string, SamParamValue]> | Record<string, SamParamValue> = {},
): string {
  if (!WORD.test(verb)) throw new RangeError(`SAM verb must be a plain word, got ${JSON.stringify(verb)}`);
  if (action !== '' && !WORD.test(action)) {
    throw new RangeError(`SAM action must be a plain word, got ${JSON.stringify(action)}`);
  }
  const parts = action === '' ? [verb] : [verb, action];
  const entries = Symbol.iterator in params ? params : Object.entries(params);
  for (const [key, raw] of entries as Iterable<readonly [string, SamParamValue]>) {
    if (raw === undefined) continue;
    if (!KEY.test(key))
      throw new RangeError(`SAM parameter name must be a plain word, got ${JSON.stringify(key)}`);
    const value = String(raw);
    if (/[\r\n\0]/.test(value)) {
      throw new RangeError(`SAM parameter ${key} must not contain CR, LF or NUL`);
    }
    parts.push(`${key}=${/[\s"\\]/.test(value) || value === '' ? quote(value) : value}`);
  }
  return `${parts.join(' ')}\n`;
}

function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}
