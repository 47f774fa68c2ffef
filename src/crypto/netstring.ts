/**
 * Netstrings (D. J. Bernstein, https://cr.yp.to/proto/netstrings.txt) as Tahoe-LAFS uses them in tagged hashes
 * and the URI extension block: `<decimal length>:<bytes>,`.
 *
 * @module
 */
import { NetstringError } from './errors.js';

const encoder = new TextEncoder();

/** Encodes `data` as a netstring, e.g. `abc` → `3:abc,` (Tahoe `util/netstring.py` `netstring`). */
export function netstring(data: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${data.length}:`);
  const out = new Uint8Array(prefix.length + data.length + 1);
  out.set(prefix, 0);
  out.set(data, prefix.length);
  out[out.length - 1] = 0x2c;
  return out;
}

/** Result of {@link parseNetstring}: the payload and the offset just past the trailing comma. */
export interface ParsedNetstring {
  value: Uint8Array;
  end: number;
}

/** Netstrings longer than this are rejected while parsing (a cap on untrusted length prefixes). */
export const MAX_NETSTRING_LENGTH = 2 ** 31;

/**
 * Parses one netstring starting at `position`. The length must be canonical decimal (no sign, no leading zeros
 * except `0` itself); a missing colon or comma or a truncated payload raises {@link NetstringError} naming the
 * byte offset.
 */
export function parseNetstring(data: Uint8Array, position = 0): ParsedNetstring {
  let i = position;
  let length = 0;
  let digits = 0;
  while (i < data.length && data[i] !== 0x3a) {
    const c = data[i] as number;
    if (c < 0x30 || c > 0x39) {
      throw new NetstringError(`netstring length has a non-digit byte 0x${c.toString(16)} at offset ${i}`, i);
    }
    if (digits === 1 && length === 0)
      throw new NetstringError(`netstring length has a leading zero at offset ${i}`, i);
    length = length * 10 + (c - 0x30);
    digits++;
    if (length > MAX_NETSTRING_LENGTH) {
      throw new NetstringError(
        `netstring length at offset ${position} exceeds ${MAX_NETSTRING_LENGTH}`,
        position,
      );
    }
    i++;
  }
  if (i >= data.length) throw new NetstringError(`netstring at offset ${position} has no ':'`, position);
  if (digits === 0) throw new NetstringError(`netstring at offset ${position} has an empty length`, position);
  const start = i + 1;
  const end = start + length;
  if (end + 1 > data.length) {
    throw new NetstringError(
      `netstring at offset ${position} declares ${length} bytes but only ${Math.max(0, data.length - start)} follow`,
      position,
    );
  }
  if (data[end] !== 0x2c)
    throw new NetstringError(`netstring at offset ${position} lacks the ',' at offset ${end}`, end);
  return { value: data.subarray(start, end), end: end + 1 };
}
