/**
 * The URI extension block (UEB): the per-file metadata stored at the end of every share, whose hash is in the
 * CHK cap (Tahoe `uri.py` `pack_extension`/`unpack_extension`, `immutable/encode.py`
 * `send_uri_extension_to_all_shareholders`; spec `docs/specifications/file-encoding.rst`).
 *
 * Serialisation: for each key in sorted (byte) order, `key ":" netstring(value)`, concatenated; integers are
 * decimal. Tahoe writes exactly the eleven fields of {@link UriExtension}.
 *
 * @module
 */
import { netstring, parseNetstring } from '../../crypto/netstring.js';
import { UriExtensionError } from './errors.js';

/** The decoded fields of a UEB as Tahoe ≥ 1.3 writes them. */
export interface UriExtension {
  codecName: string;
  /** `"<segment size>-<k>-<N>"`. */
  codecParams: string;
  /** `"<padded tail size>-<k>-<N>"`. */
  tailCodecParams: string;
  size: number;
  segmentSize: number;
  numSegments: number;
  neededShares: number;
  totalShares: number;
  /** Hash of the whole ciphertext. */
  crypttextHash: Uint8Array;
  /** Root of the crypttext segment hash tree. */
  crypttextRootHash: Uint8Array;
  /** Root of the share hash tree. */
  shareRootHash: Uint8Array;
}

/** UEBs larger than this are rejected when parsing (real ones are about 500 bytes). */
export const MAX_UEB_SIZE = 64 * 1024;

const te = new TextEncoder();

/** Serialises a UEB exactly as Tahoe's `pack_extension` does. */
export function packUriExtension(ueb: UriExtension): Uint8Array {
  const fields: Record<string, Uint8Array> = {
    codec_name: te.encode(ueb.codecName),
    codec_params: te.encode(ueb.codecParams),
    crypttext_hash: ueb.crypttextHash,
    crypttext_root_hash: ueb.crypttextRootHash,
    needed_shares: te.encode(String(ueb.neededShares)),
    num_segments: te.encode(String(ueb.numSegments)),
    segment_size: te.encode(String(ueb.segmentSize)),
    share_root_hash: ueb.shareRootHash,
    size: te.encode(String(ueb.size)),
    tail_codec_params: te.encode(ueb.tailCodecParams),
    total_shares: te.encode(String(ueb.totalShares)),
  };
  const pieces: Uint8Array[] = [];
  for (const key of Object.keys(fields).sort()) {
    pieces.push(te.encode(`${key}:`), netstring(fields[key] as Uint8Array));
  }
  return Buffer.concat(pieces);
}

/**
 * Parses the raw `key → value` pairs of a UEB. Unknown keys are kept (Tahoe ignores them too). Throws
 * {@link UriExtensionError} on bad syntax or duplicate keys.
 */
export function parseUriExtensionFields(data: Uint8Array): Map<string, Uint8Array> {
  if (data.length > MAX_UEB_SIZE) {
    throw new UriExtensionError(
      `URI extension block of ${data.length} bytes exceeds the ${MAX_UEB_SIZE}-byte limit`,
    );
  }
  const fields = new Map<string, Uint8Array>();
  let pos = 0;
  while (pos < data.length) {
    const colon = data.indexOf(0x3a, pos);
    if (colon < 0) throw new UriExtensionError(`URI extension block: no ':' after the key at offset ${pos}`);
    const key = Buffer.from(data.subarray(pos, colon)).toString('latin1');
    if (!/^[a-zA-Z_-]+$/.test(key)) {
      throw new UriExtensionError(
        `URI extension block: bad key ${JSON.stringify(key.slice(0, 40))} at offset ${pos}`,
      );
    }
    if (fields.has(key)) throw new UriExtensionError(`URI extension block: duplicate key ${key}`, key);
    try {
      const parsed = parseNetstring(data, colon + 1);
      fields.set(key, parsed.value);
      pos = parsed.end;
    } catch (cause) {
      throw new UriExtensionError(`URI extension block: bad value of ${key}`, key, { cause });
    }
  }
  return fields;
}

/** Parses a UEB and checks that every field Tahoe writes is present and well formed. */
export function parseUriExtension(data: Uint8Array): UriExtension {
  const fields = parseUriExtensionFields(data);
  const get = (key: string): Uint8Array => {
    const v = fields.get(key);
    if (v === undefined) throw new UriExtensionError(`URI extension block lacks ${key}`, key);
    return v;
  };
  const text = (key: string): string => Buffer.from(get(key)).toString('latin1');
  const int = (key: string): number => {
    const s = text(key);
    if (!/^(0|[1-9][0-9]{0,15})$/.test(s) || !Number.isSafeInteger(Number(s))) {
      throw new UriExtensionError(
        `URI extension block: ${key} is not a decimal integer: ${JSON.stringify(s)}`,
        key,
      );
    }
    return Number(s);
  };
  const hash = (key: string): Uint8Array => {
    const v = get(key);
    if (v.length !== 32)
      throw new UriExtensionError(`URI extension block: ${key} is ${v.length} bytes, not 32`, key);
    return v;
  };
  return {
    codecName: text('codec_name'),
    codecParams: text('codec_params'),
    tailCodecParams: text('tail_codec_params'),
    size: int('size'),
    segmentSize: int('segment_size'),
    numSegments: int('num_segments'),
    neededShares: int('needed_shares'),
    totalShares: int('total_shares'),
    crypttextHash: hash('crypttext_hash'),
    crypttextRootHash: hash('crypttext_root_hash'),
    shareRootHash: hash('share_root_hash'),
  };
}
