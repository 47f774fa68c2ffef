/**
 * Signed announcements (Tahoe-LAFS `introducer/common.py`, `sign_to_foolscap` / `unsign_from_foolscap`).
 *
 * The signed message is the UTF-8 of the announcement's JSON; the signature is Ed25519 by the node key, written
 * `v0-<base32>`; the claimed key is `v0-<base32 public key>`, which is also the server id (`key_s`). Tahoe sends
 * the triple `(msg, sig, key)` over Foolscap; we send it as JSON `{"msg": base64(msg), "sig", "key"}` (the
 * HTTP serialization Tahoe's comment in `sign_to_foolscap` anticipates), so the signed bytes travel unchanged.
 *
 * @module
 */
import { base32Decode, base32Encode } from '../../crypto/base32.js';
import { AnnouncementRejectedError, BadSignatureError } from './errors.js';
import { type NodeKey, parseKeyString, verifyWithKeyString } from './node-key.js';
import { pythonJsonDumps } from './python-json.js';

/** The most bytes of JSON one announcement may have (Tahoe's storage announcements are about 1 KiB). */
export const MAX_ANNOUNCEMENT_BYTES = 16 * 1024;

/** The announcement body: Tahoe's keys (`service-name`, `seqnum`, `nonce`, `nickname`, ...) plus the service's. */
export type AnnouncementBody = Record<string, unknown>;

/** A signed announcement as it travels: the triple Tahoe calls `ann_t`. */
export interface SignedAnnouncement {
  /** Base64 (RFC 4648 §4, padded) of the UTF-8 JSON of the announcement: the signed bytes. */
  msg: string;
  /** `v0-<base32 Ed25519 signature>`. */
  sig: string;
  /** `v0-<base32 public key>`: the signer, and the server id. */
  key: string;
}

/** A signed announcement whose signature and shape have been checked. */
export interface VerifiedAnnouncement {
  ann: AnnouncementBody;
  serviceName: string;
  seqnum: number;
  /** The server id (`key_s`). */
  keyString: string;
  signed: SignedAnnouncement;
}

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Signs `ann` with `key` as Tahoe does (the JSON is written as Python's `json.dumps` would). */
export function signAnnouncement(ann: AnnouncementBody, key: NodeKey): SignedAnnouncement {
  const bytes = new TextEncoder().encode(pythonJsonDumps(ann));
  if (bytes.length > MAX_ANNOUNCEMENT_BYTES)
    throw new RangeError(
      `the announcement is ${bytes.length} bytes; at most ${MAX_ANNOUNCEMENT_BYTES} allowed`,
    );
  return {
    msg: Buffer.from(bytes).toString('base64'),
    sig: `v0-${base32Encode(key.sign(bytes))}`,
    key: key.keyString,
  };
}

/** Checks the shape Tahoe requires of an announcement body, naming the bad field. */
export function checkAnnouncementBody(ann: unknown, where: string): { serviceName: string; seqnum: number } {
  if (typeof ann !== 'object' || ann === null || Array.isArray(ann))
    throw new AnnouncementRejectedError(where, 'the announcement is not a JSON object');
  const fields = ann as AnnouncementBody;
  const serviceName = fields['service-name'];
  if (typeof serviceName !== 'string' || !SERVICE_NAME.test(serviceName))
    throw new AnnouncementRejectedError(
      where,
      `"service-name" must be 1-64 characters of [A-Za-z0-9_.-], got ${JSON.stringify(serviceName)?.slice(0, 80)}`,
    );
  const seqnum = fields.seqnum;
  if (typeof seqnum !== 'number' || !Number.isSafeInteger(seqnum) || seqnum < 0)
    throw new AnnouncementRejectedError(
      where,
      `"seqnum" must be a non-negative integer, got ${JSON.stringify(seqnum)?.slice(0, 40)}`,
    );
  if (fields.nonce !== undefined && typeof fields.nonce !== 'string')
    throw new AnnouncementRejectedError(where, '"nonce" must be a string');
  if (fields.nickname !== undefined && typeof fields.nickname !== 'string')
    throw new AnnouncementRejectedError(where, '"nickname" must be a string');
  return { serviceName, seqnum };
}

/**
 * Verifies a signed announcement received from `where` and decodes it. Throws {@link BadSignatureError} if the
 * signature does not verify, {@link AnnouncementRejectedError} for any other defect (not `v0-` signed, too
 * large, not JSON, missing `service-name` or `seqnum`).
 */
export function verifyAnnouncement(input: unknown, where: string): VerifiedAnnouncement {
  if (typeof input !== 'object' || input === null)
    throw new AnnouncementRejectedError(where, 'expected an object {msg, sig, key}');
  const { msg, sig, key } = input as Record<string, unknown>;
  if (typeof msg !== 'string' || typeof sig !== 'string' || typeof key !== 'string')
    throw new AnnouncementRejectedError(where, '"msg", "sig" and "key" must all be strings');
  if (msg.length > Math.ceil(MAX_ANNOUNCEMENT_BYTES / 3) * 4)
    throw new AnnouncementRejectedError(where, `the announcement exceeds ${MAX_ANNOUNCEMENT_BYTES} bytes`);
  if (!BASE64.test(msg) || msg.length % 4 !== 0)
    throw new AnnouncementRejectedError(where, '"msg" is not padded base64');
  if (!sig.startsWith('v0-'))
    throw new AnnouncementRejectedError(where, 'only v0- signatures are recognized');
  if (parseKeyString(key) === undefined)
    throw new AnnouncementRejectedError(
      where,
      `"key" must be v0- and 52 base32 characters, got ${JSON.stringify(key.slice(0, 80))}`,
    );
  let signature: Uint8Array;
  try {
    signature = base32Decode(sig.slice(3), 'the signature');
  } catch (error) {
    throw new AnnouncementRejectedError(where, (error as Error).message, { cause: error });
  }
  const bytes = new Uint8Array(Buffer.from(msg, 'base64'));
  if (!verifyWithKeyString(key, bytes, signature)) throw new BadSignatureError(where, key);
  let ann: unknown;
  try {
    ann = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new AnnouncementRejectedError(where, 'the signed message is not UTF-8 JSON', { cause: error });
  }
  const { serviceName, seqnum } = checkAnnouncementBody(ann, where);
  return { ann: ann as AnnouncementBody, serviceName, seqnum, keyString: key, signed: { msg, sig, key } };
}
