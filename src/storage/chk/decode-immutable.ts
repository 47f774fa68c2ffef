/**
 * One-call immutable download: a cap and share readers (or share bytes) in, plaintext out as an
 * `AsyncIterable<Uint8Array>`.
 *
 * @module
 */
import { WrongCapKindError } from '../caps/errors.js';
import { parseCap } from '../caps/parse.js';
import type { Cap } from '../caps/types.js';
import { type ChkDecodeOptions, decodeChk } from './decoder.js';
import { bytesShareReader, type ShareReader, type ShareReaders } from './share-reader.js';

/** Shares for {@link decodeImmutable}: readers or raw share bytes, by share number (map or sparse array). */
export type ImmutableShares =
  | ShareReaders
  | ReadonlyMap<number, Uint8Array>
  | readonly (Uint8Array | ShareReader | undefined)[];

function toReaders(shares: ImmutableShares): ShareReaders {
  const wrap = (s: Uint8Array | ShareReader | undefined): ShareReader | undefined =>
    s instanceof Uint8Array ? bytesShareReader(s) : s;
  if (shares instanceof Map) {
    return new Map(
      [...(shares as ReadonlyMap<number, Uint8Array | ShareReader>)].map(([n, s]) => [
        n,
        wrap(s) as ShareReader,
      ]),
    );
  }
  return (shares as readonly (Uint8Array | ShareReader | undefined)[]).map(wrap);
}

async function* literal(data: Uint8Array): AsyncGenerator<Uint8Array> {
  if (data.length > 0) yield data.slice();
}

/**
 * Returns the plaintext of an immutable file (`URI:CHK`, `URI:LIT`, or the `DIR2-CHK`/`DIR2-LIT` caps of
 * immutable directories, whose contents are returned raw) from any k of its shares. See {@link decodeChk} for
 * verification, fail-over and byte ranges (`offset`, `length`). A malformed or non-immutable cap throws
 * at once; share and decoding errors surface while iterating.
 */
export function decodeImmutable(
  cap: string | Cap,
  shares: ImmutableShares,
  options: ChkDecodeOptions = {},
): AsyncIterable<Uint8Array> {
  const parsed = typeof cap === 'string' ? parseCap(cap) : cap;
  const file = 'file' in parsed ? parsed.file : parsed;
  if (file.kind === 'LIT') return literal(file.data);
  if (file.kind !== 'CHK') {
    throw new WrongCapKindError(
      `decodeImmutable needs a CHK or LIT read cap, got a ${parsed.kind} cap`,
      parsed.kind,
    );
  }
  return decodeChk(file, toReaders(shares), options);
}
