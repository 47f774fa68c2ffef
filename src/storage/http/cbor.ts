/**
 * CBOR for GBS message bodies (http-storage-node-protocol.rst, "Message Encoding"): sets travel as tag 258
 * arrays, maps decode as `Map` (keys may be integers or byte strings), and decoding is strict and bounded.
 *
 * @module
 */
import { decode, encode } from 'cborg';
import { setDecoder, setEncoder } from 'cborg/taglib';
import { SchemaError } from './errors.js';

/** The media type of CBOR bodies. */
export const CBOR_MIME_TYPE = 'application/cbor';

const TAGS: ((inner: unknown) => unknown)[] = [];
TAGS[258] = setDecoder as (inner: unknown) => unknown;

/** Encodes a value; `Set`s become tag-258 arrays, `Map`s CBOR maps with their own key types. */
export function encodeCbor(value: unknown): Uint8Array {
  return encode(value, { typeEncoders: { Set: setEncoder } });
}

/** Decodes one CBOR item, throwing {@link SchemaError} (naming `what`) on malformed input or trailing bytes. */
export function decodeCbor(bytes: Uint8Array, what: string): unknown {
  try {
    return decode(bytes, { useMaps: true, tags: TAGS, rejectDuplicateMapKeys: true, allowUndefined: false });
  } catch (error) {
    throw new SchemaError(what, `not valid CBOR: ${(error as Error).message}`, { cause: error });
  }
}
