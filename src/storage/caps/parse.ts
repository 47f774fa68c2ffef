/**
 * Parsing of capability strings (Tahoe `uri.py` `from_string` and each class's `init_from_string`; spec
 * `docs/specifications/uri.rst`).
 *
 * Grammar (base32 is lowercase RFC 4648 without padding; 16-byte values are 26 characters, 32-byte values 52):
 * ```
 * URI:LIT:<base32 data>
 * URI:CHK:<key16>:<ueb32>:<k>:<N>:<size>            URI:CHK-Verifier:<si16>:<ueb32>:<k>:<N>:<size>
 * URI:SSK:<writekey16>:<fp32>   URI:SSK-RO:<readkey16>:<fp32>   URI:SSK-Verifier:<si16>:<fp32>
 * URI:MDMF:<writekey16>:<fp32>[:<ignored>...]  (likewise MDMF-RO, MDMF-Verifier)
 * URI:DIR2<-suffix>:<the fields of the wrapped file cap>
 * ```
 * Numbers are canonical decimal; 1 <= k <= N <= 256.
 *
 * @module
 */
import { base32Decode } from '../../crypto/base32.js';
import { Base32Error } from '../../crypto/errors.js';
import { MalformedCapError } from './errors.js';
import { redactCap } from './redact.js';
import { type Cap, DIRECTORY_INNER_KIND, type DirectoryCap, type FileCap } from './types.js';

interface Field {
  text: string;
  position: number;
}

class CapParser {
  readonly #cap: string;
  readonly #fields: Field[];
  readonly #kind: string;

  constructor(cap: string, kind: string, fields: Field[]) {
    this.#cap = cap;
    this.#kind = kind;
    this.#fields = fields;
  }

  fail(message: string, field: string, position: number, cause?: unknown): never {
    throw new MalformedCapError(
      `malformed ${this.#kind} cap ${redactCap(this.#cap)}: ${message} (field "${field}" at position ${position})`,
      field,
      position,
      { cause },
    );
  }

  count(min: number, max: number, names: string): void {
    const n = this.#fields.length;
    if (n < min || n > max) {
      const last = this.#fields[this.#fields.length - 1];
      const expected = min === max ? `${min}` : `${min} to ${max}`;
      this.fail(`expected ${expected} fields (${names}), got ${n}`, 'fields', last?.position ?? 0);
    }
  }

  bytes(index: number, name: string, length: number | undefined): Uint8Array {
    const field = this.#fields[index] as Field;
    if (length !== undefined && field.text.length !== Math.ceil((length * 8) / 5)) {
      this.fail(
        `expected ${Math.ceil((length * 8) / 5)} base32 characters (${length} bytes), got ${field.text.length}`,
        name,
        field.position,
      );
    }
    try {
      return base32Decode(field.text, name);
    } catch (error) {
      const offset = error instanceof Base32Error ? error.position : 0;
      const reason = error instanceof Error ? error.message : String(error);
      return this.fail(reason, name, field.position + offset, error);
    }
  }

  number(index: number, name: string, min: number, max: number): number {
    const field = this.#fields[index] as Field;
    if (!/^(0|[1-9][0-9]*)$/.test(field.text)) {
      this.fail(
        `expected a canonical decimal number, got ${JSON.stringify(field.text.slice(0, 20))}`,
        name,
        field.position,
      );
    }
    const value = Number(field.text);
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.fail(`${value} is outside ${min}..${max}`, name, field.position);
    }
    return value;
  }
}

function parseFileCap(cap: string, kind: string, fields: Field[]): FileCap {
  const p = new CapParser(cap, kind, fields);
  switch (kind) {
    case 'LIT':
      p.count(1, 1, 'data');
      return { kind, data: p.bytes(0, 'data', undefined) };
    case 'CHK':
    case 'CHK-Verifier': {
      p.count(5, 5, `${kind === 'CHK' ? 'key' : 'storage index'}, UEB hash, k, N, size`);
      const first = p.bytes(0, kind === 'CHK' ? 'key' : 'storageIndex', 16);
      const uebHash = p.bytes(1, 'uebHash', 32);
      const needed = p.number(2, 'needed', 1, 256);
      const total = p.number(3, 'total', 1, 256);
      if (needed > total) p.fail(`k=${needed} exceeds N=${total}`, 'needed', (fields[2] as Field).position);
      const size = p.number(4, 'size', 0, Number.MAX_SAFE_INTEGER);
      return kind === 'CHK'
        ? { kind, key: first, uebHash, needed, total, size }
        : { kind, storageIndex: first, uebHash, needed, total, size };
    }
    case 'SSK':
    case 'SSK-RO':
    case 'SSK-Verifier':
    case 'MDMF':
    case 'MDMF-RO':
    case 'MDMF-Verifier': {
      // MDMF caps may carry extra fields after the fingerprint, which Tahoe ignores.
      p.count(2, kind.startsWith('MDMF') ? Number.MAX_SAFE_INTEGER : 2, 'key, fingerprint');
      const keyName = kind.endsWith('-RO')
        ? 'readkey'
        : kind.endsWith('-Verifier')
          ? 'storageIndex'
          : 'writekey';
      const key = p.bytes(0, keyName, 16);
      const fingerprint = p.bytes(1, 'fingerprint', 32);
      switch (kind) {
        case 'SSK':
        case 'MDMF':
          return { kind, writekey: key, fingerprint };
        case 'SSK-RO':
        case 'MDMF-RO':
          return { kind, readkey: key, fingerprint };
        default:
          return { kind, storageIndex: key, fingerprint };
      }
    }
    default:
      throw new MalformedCapError(
        `unknown cap type ${JSON.stringify(`URI:${kind.slice(0, 24)}`)} in ${redactCap(cap)}`,
        'prefix',
        0,
      );
  }
}

/**
 * Parses any Tahoe-LAFS capability string into a {@link Cap}. Surrounding whitespace is not allowed. Throws
 * {@link MalformedCapError} naming the field and character position of the first problem; the message shows
 * the cap only redacted.
 */
export function parseCap(cap: string): Cap {
  if (typeof cap !== 'string') throw new TypeError(`a cap must be a string, got ${typeof cap}`);
  if (cap.length > 4096) {
    throw new MalformedCapError(`cap ${redactCap(cap)} is longer than 4096 characters`, 'length', 4096);
  }
  if (!cap.startsWith('URI:')) {
    throw new MalformedCapError(`${redactCap(cap)} is not a cap: it does not start with "URI:"`, 'prefix', 0);
  }
  const parts = cap.split(':');
  const kind = parts[1] ?? '';
  const fields: Field[] = [];
  let position = 4 + kind.length + 1;
  for (const text of parts.slice(2)) {
    fields.push({ text, position });
    position += text.length + 1;
  }
  if (parts.length < 3) {
    throw new MalformedCapError(`${redactCap(cap)} has no fields after its type`, 'fields', cap.length);
  }
  if (kind in DIRECTORY_INNER_KIND) {
    const dirKind = kind as DirectoryCap['kind'];
    const file = parseFileCap(cap, DIRECTORY_INNER_KIND[dirKind], fields);
    return { kind: dirKind, file } as DirectoryCap;
  }
  return parseFileCap(cap, kind, fields);
}
