/**
 * Read-only inspection of an immutable share, for `lafs debug dump-share` (like Tahoe's `tahoe debug
 * dump-share`, `scripts/debug.py`): the container (Tahoe `storage/immutable.py`: a 12-byte header of version,
 * data length and lease count, the share data, then 72-byte lease records), the share header, the share
 * hashes and the URI extension block. Nothing here is verified against a cap.
 *
 * @module
 */
import { base32Encode } from '../../crypto/base32.js';
import { uriExtensionHash } from '../../crypto/hashutil.js';
import { ShareLayoutError } from './errors.js';
import { parseShareHeader, type ShareHeader } from './layout.js';
import { parseUriExtension, parseUriExtensionFields } from './ueb.js';

/** A lease record, without its secrets. */
export interface LeaseInfo {
  ownerNumber: number;
  /** Expiration time, seconds since the epoch. */
  expirationTime: number;
}

/** What {@link inspectImmutableShare} finds. */
export interface ShareInspection {
  /** `container` when the bytes are a server's share file, `share` when they are bare share data. */
  form: 'container' | 'share';
  containerVersion?: number;
  leases?: LeaseInfo[];
  header: ShareHeader;
  /** Share hash tree nodes stored in the share, in stored order. */
  shareHashes: { node: number; hash: string }[];
  /** UEB fields; hashes in base32, other values as text or numbers. */
  uriExtension: Record<string, string | number>;
  /** base32 of the UEB hash (the second field of the CHK cap). */
  uebHash: string;
  /** Whether the UEB has every field Tahoe writes. */
  uebComplete: boolean;
}

const MUTABLE_MAGIC = Buffer.from('Tahoe mutable container v', 'latin1');

function splitContainer(bytes: Buffer): { data: Buffer; version?: number; leases?: LeaseInfo[] } {
  if (bytes.length >= 12) {
    const version = bytes.readUInt32BE(0);
    const count = bytes.readUInt32BE(8);
    const dataLength = bytes.readUInt32BE(4);
    if ((version === 1 || version === 2) && count < 1_000_000 && bytes.length - 12 - 72 * count >= 0x24) {
      const end = bytes.length - 72 * count;
      // A v1 container records the data length; v2 may not, so rely on the lease count for the end.
      if (version === 2 || dataLength === end - 12) {
        const leases: LeaseInfo[] = [];
        for (let i = 0; i < count; i++) {
          const at = end + 72 * i;
          leases.push({ ownerNumber: bytes.readUInt32BE(at), expirationTime: bytes.readUInt32BE(at + 68) });
        }
        return { data: bytes.subarray(12, end), version, leases };
      }
    }
  }
  return { data: bytes };
}

/** Inspects an immutable container file or bare share data. Throws {@link ShareLayoutError} when it is neither. */
export function inspectImmutableShare(input: Uint8Array): ShareInspection {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.subarray(0, MUTABLE_MAGIC.length).equals(MUTABLE_MAGIC)) {
    throw new ShareLayoutError('this is a mutable (SDMF/MDMF) share container, not an immutable share', 0);
  }
  let split = splitContainer(bytes);
  let header: ShareHeader;
  try {
    header = parseShareHeader(split.data);
  } catch (error) {
    if (split.data === bytes) throw error;
    split = { data: bytes };
    header = parseShareHeader(bytes);
  }
  const data = split.data;
  const o = header.offsets;
  const lengthSize = header.version === 1 ? 4 : 8;
  if (o.uriExtension + lengthSize > data.length) {
    throw new ShareLayoutError(
      `share is ${data.length} bytes, too short for its UEB at ${o.uriExtension}`,
      o.uriExtension,
    );
  }
  const uebLength =
    lengthSize === 4 ? data.readUInt32BE(o.uriExtension) : Number(data.readBigUInt64BE(o.uriExtension));
  const uebStart = o.uriExtension + lengthSize;
  if (uebStart + uebLength > data.length) {
    throw new ShareLayoutError(`UEB of ${uebLength} bytes runs past the end of the share`, uebStart);
  }
  const uebBytes = data.subarray(uebStart, uebStart + uebLength);
  const fields = parseUriExtensionFields(uebBytes);
  const uriExtension: Record<string, string | number> = {};
  for (const [key, value] of fields) {
    const text = Buffer.from(value).toString('latin1');
    if (key.endsWith('hash')) uriExtension[key] = base32Encode(value);
    else if (/^(0|[1-9][0-9]{0,15})$/.test(text)) uriExtension[key] = Number(text);
    else uriExtension[key] = text;
  }
  let uebComplete = true;
  try {
    parseUriExtension(uebBytes);
  } catch {
    uebComplete = false;
  }
  const shareHashes: { node: number; hash: string }[] = [];
  for (let pos = o.shareHashes; pos + 34 <= o.uriExtension && pos + 34 <= data.length; pos += 34) {
    shareHashes.push({ node: data.readUInt16BE(pos), hash: base32Encode(data.subarray(pos + 2, pos + 34)) });
  }
  const result: ShareInspection = {
    form: split.version === undefined ? 'share' : 'container',
    header,
    shareHashes,
    uriExtension,
    uebHash: base32Encode(uriExtensionHash(uebBytes)),
    uebComplete,
  };
  if (split.version !== undefined) result.containerVersion = split.version;
  if (split.leases) result.leases = split.leases;
  return result;
}
