/**
 * Validation of GBS CBOR bodies against the CDDL schemas of http-storage-node-protocol.rst (the same limits
 * Tahoe's http_server.py / http_client.py enforce: at most 256 share numbers, 30 test or read vectors).
 * Every validator returns a typed value or throws {@link SchemaError} naming the offending field.
 *
 * @module
 */
import type {
  AllocateRequest,
  AllocateResult,
  ByteRange,
  ReadTestWriteRequest,
  ReadTestWriteResult,
  ReadVector,
  StorageVersion,
  TestWriteVectors,
} from '../backend/backend.js';
import { SchemaError } from './errors.js';

const MAX_SHARES = 256;
const MAX_VECTORS = 30;
/** Byte-string key of the version map (Tahoe sends byte strings, per the CDDL's single quotes). */
export const STORAGE_V1_KEY = 'http://allmydata.org/tahoe/protocols/storage/v1';

function fail(what: string, reason: string): never {
  throw new SchemaError(what, reason);
}

function asMap(value: unknown, what: string, keys: readonly string[]): Map<unknown, unknown> {
  if (!(value instanceof Map)) fail(what, 'expected a map');
  for (const key of value.keys()) {
    if (typeof key !== 'string' || !keys.includes(key)) fail(what, `unexpected key ${String(key)}`);
  }
  for (const key of keys) if (!value.has(key)) fail(what, `missing key ${key}`);
  return value;
}

function asUint(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    fail(
      what,
      `expected an unsigned integer, got ${typeof value === 'bigint' ? 'an integer too large' : String(value)}`,
    );
  }
  return value;
}

function asShareNumber(value: unknown, what: string): number {
  const n = asUint(value, what);
  if (n > 255) fail(what, `share number ${n} is out of range 0..255`);
  return n;
}

function asBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) fail(what, 'expected a byte string');
  return value;
}

function asArray(value: unknown, what: string, max = Number.POSITIVE_INFINITY): unknown[] {
  if (!Array.isArray(value)) fail(what, 'expected an array');
  if (value.length > max) fail(what, `more than ${max} entries`);
  return value;
}

/** `#6.258([0*256 uint])` - a tagged set of share numbers. */
export function parseShareSet(value: unknown, what: string): number[] {
  if (!(value instanceof Set)) fail(what, 'expected a set (CBOR tag 258)');
  if (value.size > MAX_SHARES) fail(what, `more than ${MAX_SHARES} share numbers`);
  return [...value].map((n, i) => asShareNumber(n, `${what}[${i}]`)).sort((a, b) => a - b);
}

/** Request of `POST /storage/v1/immutable/:si`. */
export function parseAllocateRequest(value: unknown): { shareNumbers: number[]; allocatedSize: number } {
  const map = asMap(value, 'allocate request', ['share-numbers', 'allocated-size']);
  return {
    shareNumbers: parseShareSet(map.get('share-numbers'), 'share-numbers'),
    allocatedSize: asUint(map.get('allocated-size'), 'allocated-size'),
  };
}

/** Request of the corruption advisories: `{ reason: tstr .size (1..32765) }`. */
export function parseCorruptRequest(value: unknown): string {
  const map = asMap(value, 'corruption advisory', ['reason']);
  const reason = map.get('reason');
  if (typeof reason !== 'string') fail('reason', 'expected a text string');
  const size = Buffer.byteLength(reason);
  if (size < 1 || size > 32765) fail('reason', `length ${size} outside 1..32765 bytes`);
  return reason;
}

/** Request of `POST /storage/v1/mutable/:si/read-test-write`. */
export function parseReadTestWriteRequest(value: unknown): {
  testWriteVectors: Map<number, TestWriteVectors>;
  readVector: ReadVector[];
} {
  const map = asMap(value, 'read-test-write request', ['test-write-vectors', 'read-vector']);
  const twv = map.get('test-write-vectors');
  if (!(twv instanceof Map)) fail('test-write-vectors', 'expected a map');
  if (twv.size > MAX_SHARES) fail('test-write-vectors', `more than ${MAX_SHARES} shares`);
  const testWriteVectors = new Map<number, TestWriteVectors>();
  for (const [key, entry] of twv) {
    const shnum = asShareNumber(key, 'test-write-vectors key');
    const where = `test-write-vectors[${shnum}]`;
    const e = asMap(entry, where, ['test', 'write', 'new-length']);
    const test = asArray(e.get('test'), `${where}.test`, MAX_VECTORS).map((t, i) => {
      const m = asMap(t, `${where}.test[${i}]`, ['offset', 'size', 'specimen']);
      return {
        offset: asUint(m.get('offset'), `${where}.test[${i}].offset`),
        size: asUint(m.get('size'), `${where}.test[${i}].size`),
        specimen: asBytes(m.get('specimen'), `${where}.test[${i}].specimen`),
      };
    });
    const write = asArray(e.get('write'), `${where}.write`).map((w, i) => {
      const m = asMap(w, `${where}.write[${i}]`, ['offset', 'data']);
      return {
        offset: asUint(m.get('offset'), `${where}.write[${i}].offset`),
        data: asBytes(m.get('data'), `${where}.write[${i}].data`),
      };
    });
    const nl = e.get('new-length');
    const newLength = nl === null ? null : asUint(nl, `${where}.new-length`);
    testWriteVectors.set(shnum, { test, write, newLength });
  }
  const readVector = asArray(map.get('read-vector'), 'read-vector', MAX_VECTORS).map((r, i) => {
    const m = asMap(r, `read-vector[${i}]`, ['offset', 'size']);
    return {
      offset: asUint(m.get('offset'), `read-vector[${i}].offset`),
      size: asUint(m.get('size'), `read-vector[${i}].size`),
    };
  });
  return { testWriteVectors, readVector };
}

/** The body of an allocate request (the inverse of {@link parseAllocateRequest}). */
export function encodeAllocateRequest(request: AllocateRequest): Map<string, unknown> {
  return new Map<string, unknown>([
    ['share-numbers', new Set(request.shareNumbers)],
    ['allocated-size', request.allocatedSize],
  ]);
}

/** The body of a read-test-write request (the inverse of {@link parseReadTestWriteRequest}). */
export function encodeReadTestWriteRequest(request: ReadTestWriteRequest): Map<string, unknown> {
  const vectors = new Map<number, unknown>();
  for (const [shnum, v] of request.testWriteVectors) {
    const test = v.test.map(
      (t) =>
        new Map<string, unknown>([
          ['offset', t.offset],
          ['size', t.size],
          ['specimen', t.specimen],
        ]),
    );
    const write = v.write.map(
      (w) =>
        new Map<string, unknown>([
          ['offset', w.offset],
          ['data', w.data],
        ]),
    );
    vectors.set(
      shnum,
      new Map<string, unknown>([
        ['test', test],
        ['write', write],
        ['new-length', v.newLength],
      ]),
    );
  }
  const readVector = request.readVector.map(
    (r) =>
      new Map([
        ['offset', r.offset],
        ['size', r.size],
      ]),
  );
  return new Map<string, unknown>([
    ['test-write-vectors', vectors],
    ['read-vector', readVector],
  ]);
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** The version reply in Tahoe's shape: a map keyed by byte strings. */
export function encodeVersion(v: StorageVersion): Map<Uint8Array, unknown> {
  return new Map<Uint8Array, unknown>([
    [
      enc.encode(STORAGE_V1_KEY),
      new Map<Uint8Array, number>([
        [enc.encode('maximum-immutable-share-size'), v.maximumImmutableShareSize],
        [enc.encode('maximum-mutable-share-size'), v.maximumMutableShareSize],
        [enc.encode('available-space'), v.availableSpace],
      ]),
    ],
    [enc.encode('application-version'), enc.encode(v.applicationVersion)],
  ]);
}

function byteKeyed(value: unknown, what: string): Map<string, unknown> {
  if (!(value instanceof Map)) fail(what, 'expected a map');
  const out = new Map<string, unknown>();
  for (const [k, v] of value) {
    if (!(k instanceof Uint8Array)) fail(what, 'expected byte-string keys');
    out.set(dec.decode(k), v);
  }
  return out;
}

/** Validates a version reply (extra keys are allowed, as the CDDL map is extensible in practice). */
export function parseVersion(value: unknown): StorageVersion {
  const top = byteKeyed(value, 'version');
  const v1 = byteKeyed(top.get(STORAGE_V1_KEY), STORAGE_V1_KEY);
  return {
    maximumImmutableShareSize: asUint(v1.get('maximum-immutable-share-size'), 'maximum-immutable-share-size'),
    maximumMutableShareSize: asUint(v1.get('maximum-mutable-share-size'), 'maximum-mutable-share-size'),
    availableSpace: asUint(v1.get('available-space'), 'available-space'),
    applicationVersion: dec.decode(asBytes(top.get('application-version'), 'application-version')),
  };
}

/** Validates the allocation reply. */
export function parseAllocateResult(value: unknown): AllocateResult {
  const map = asMap(value, 'allocate reply', ['already-have', 'allocated']);
  return {
    alreadyHave: parseShareSet(map.get('already-have'), 'already-have'),
    allocated: parseShareSet(map.get('allocated'), 'allocated'),
  };
}

/** Validates the `required` reply of a PATCH. */
export function parseRequired(value: unknown): ByteRange[] {
  const map = asMap(value, 'upload reply', ['required']);
  return asArray(map.get('required'), 'required').map((r, i) => {
    const m = asMap(r, `required[${i}]`, ['begin', 'end']);
    return {
      begin: asUint(m.get('begin'), `required[${i}].begin`),
      end: asUint(m.get('end'), `required[${i}].end`),
    };
  });
}

/** Validates the read-test-write reply. */
export function parseReadTestWriteResult(value: unknown): ReadTestWriteResult {
  const map = asMap(value, 'read-test-write reply', ['success', 'data']);
  const success = map.get('success');
  if (typeof success !== 'boolean') fail('success', 'expected a boolean');
  const raw = map.get('data');
  if (!(raw instanceof Map)) fail('data', 'expected a map');
  const data = new Map<number, Uint8Array[]>();
  for (const [k, v] of raw) {
    const shnum = asShareNumber(k, 'data key');
    data.set(
      shnum,
      asArray(v, `data[${shnum}]`).map((b, i) => asBytes(b, `data[${shnum}][${i}]`)),
    );
  }
  return { success, data };
}
