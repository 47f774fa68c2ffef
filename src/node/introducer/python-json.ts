/**
 * JSON text as Python's `json.dumps` writes it with default arguments (separators `", "` and `": "`,
 * `ensure_ascii=True`, keys in insertion order). Tahoe-LAFS signs the UTF-8 of exactly this text
 * (`introducer/common.py` `sign_to_foolscap`), so producing it keeps our signed bytes identical to Tahoe's for
 * the same announcement. Verification never re-serializes: it checks the bytes as received.
 *
 * @module
 */

function quote(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    // ensure_ascii: everything outside printable ASCII as \uXXXX (UTF-16 units, so surrogate pairs stay pairs).
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += text[i];
  }
  return `${out}"`;
}

function dump(value: unknown, depth: number): string {
  if (depth > 32) throw new RangeError('pythonJsonDumps: nesting deeper than 32 levels');
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`pythonJsonDumps: ${value} has no JSON form`);
    if (!Number.isInteger(value)) throw new RangeError(`pythonJsonDumps: ${value} is not an integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => dump(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${quote(k)}: ${dump(v, depth + 1)}`);
    return `{${parts.join(', ')}}`;
  }
  throw new TypeError(`pythonJsonDumps: cannot serialize a ${typeof value}`);
}

/**
 * Serializes `value` (strings, integers, booleans, null, arrays, plain objects) as Python's `json.dumps`.
 * Floats are refused: announcements carry none, and Python and JavaScript print them differently.
 */
export function pythonJsonDumps(value: unknown): string {
  return dump(value, 0);
}
