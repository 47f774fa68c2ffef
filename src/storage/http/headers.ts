/**
 * GBS header formats (http-storage-node-protocol.rst, "HTTP Design"): the swissnum `Authorization`
 * header, `X-Tahoe-Authorization` secrets, and the single-range `Range`/`Content-Range` subset GBS uses.
 *
 * @module
 */
import { SchemaError } from './errors.js';

/** The kinds of per-request secret. */
export type SecretName = 'lease-renew-secret' | 'lease-cancel-secret' | 'upload-secret' | 'write-enabler';
const SECRET_NAMES: readonly SecretName[] = [
  'lease-renew-secret',
  'lease-cancel-secret',
  'upload-secret',
  'write-enabler',
];

/** `Authorization: Tahoe-LAFS <base64 of the swissnum's ASCII>`. */
export function authorizationHeader(swissnum: string): string {
  return `Tahoe-LAFS ${Buffer.from(swissnum, 'utf8').toString('base64')}`;
}

/** One `X-Tahoe-Authorization` value. */
export function secretHeader(name: SecretName, secret: Uint8Array): string {
  return `${name} ${Buffer.from(secret).toString('base64')}`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Parses the `X-Tahoe-Authorization` values and checks that exactly the `required` secrets are present,
 * each once, non-empty, valid base64, and 32 bytes for lease secrets (Tahoe's `_extract_secrets`).
 */
export function parseSecrets(
  values: readonly string[],
  required: readonly SecretName[],
): Map<SecretName, Uint8Array> {
  const out = new Map<SecretName, Uint8Array>();
  for (const raw of values) {
    const value = raw.trim();
    const space = value.indexOf(' ');
    const name = (space < 0 ? value : value.slice(0, space)) as SecretName;
    const encoded = space < 0 ? '' : value.slice(space + 1).trim();
    if (!SECRET_NAMES.includes(name))
      throw new SchemaError(
        'X-Tahoe-Authorization',
        `unknown secret kind ${JSON.stringify(name.slice(0, 40))}`,
      );
    if (out.has(name)) throw new SchemaError('X-Tahoe-Authorization', `${name} given twice`);
    if (encoded === '' || !BASE64.test(encoded))
      throw new SchemaError(
        'X-Tahoe-Authorization',
        `${name} is not base64: ${JSON.stringify(encoded.slice(0, 60))}`,
      );
    const bytes = new Uint8Array(Buffer.from(encoded, 'base64'));
    if (bytes.length === 0) throw new SchemaError('X-Tahoe-Authorization', `${name} is empty`);
    if ((name === 'lease-renew-secret' || name === 'lease-cancel-secret') && bytes.length !== 32) {
      throw new SchemaError('X-Tahoe-Authorization', `${name} must be 32 bytes, got ${bytes.length}`);
    }
    out.set(name, bytes);
  }
  for (const name of required)
    if (!out.has(name)) throw new SchemaError('X-Tahoe-Authorization', `missing ${name}`);
  for (const name of out.keys()) {
    if (!required.includes(name))
      throw new SchemaError('X-Tahoe-Authorization', `unexpected ${name} for this endpoint`);
  }
  return out;
}

/** A half-open range `[begin, end)`. */
export interface HalfOpenRange {
  begin: number;
  end: number;
}

const MAX_OFFSET = Number.MAX_SAFE_INTEGER;

/**
 * Parses `Range: bytes=<first>-<last>` (one range, both ends given - the only form GBS clients may send).
 * Returns `undefined` for anything else.
 */
export function parseRange(header: string): HalfOpenRange | undefined {
  const m = /^bytes=(\d{1,16})-(\d{1,16})$/.exec(header.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (last < first || last >= MAX_OFFSET) return undefined;
  return { begin: first, end: last + 1 };
}

/** Formats a `Range` header for `[begin, end)`. */
export function formatRange(range: HalfOpenRange): string {
  return `bytes=${range.begin}-${range.end - 1}`;
}

/** Parses `Content-Range: bytes <first>-<last>/<total or *>`; returns `undefined` when malformed. */
export function parseContentRange(
  header: string,
): (HalfOpenRange & { total: number | undefined }) | undefined {
  const m = /^bytes (\d{1,16})-(\d{1,16})\/(\d{1,16}|\*)$/.exec(header.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  const last = Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (last < first || last >= MAX_OFFSET || (total !== undefined && last >= total)) return undefined;
  return { begin: first, end: last + 1, total };
}

/** Formats `Content-Range` for `[begin, end)`, with the total length when known. */
export function formatContentRange(range: HalfOpenRange, total?: number): string {
  return `bytes ${range.begin}-${range.end - 1}/${total ?? '*'}`;
}
