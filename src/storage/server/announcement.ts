/**
 * The storage announcement a Tahoe-LAFS 1.20 client needs (client.py `init_storage`; storage_client.py):
 * the fURL (the client parses its tub id for lease secrets and display), the NURLs it actually connects to,
 * and the permutation seed. The introducer client adds `service-name`, `nonce` and `seqnum` when publishing.
 *
 * @module
 */
import { base32Encode } from '../../crypto/base32.js';
import { type Nurl, parseNurl } from '../http/nurl.js';

/** The announcement body, keys as Tahoe spells them. */
export interface StorageAnnouncement {
  'anonymous-storage-FURL': string;
  'anonymous-storage-NURLs': string[];
  'permutation-seed-base32': string;
  nickname: string;
  'my-version': string;
  'oldest-supported': string;
  'app-versions': unknown[];
}

function furlHint(nurl: Nurl): string {
  if (nurl.scheme === 'pb+tor') return `tor:${nurl.host}:${nurl.port}`;
  if (nurl.scheme === 'pb+i2p')
    return nurl.port === undefined ? `i2p:${nurl.host}` : `i2p:${nurl.host}:${nurl.port}`;
  return `tcp:${nurl.host.includes(':') ? `[${nurl.host}]` : nurl.host}:${nurl.port}`;
}

/** Options of {@link buildAnnouncement}. */
export interface AnnouncementOptions {
  nurls: readonly string[];
  /** 20-byte node id; its base32 is the fURL's tub id and the mutable-lease node id. */
  nodeId: Uint8Array;
  permutationSeedBase32: string;
  nickname: string;
  version: string;
}

/** Builds the announcement for a server reachable at `nurls` (the fURL carries every NURL's location hint). */
export function buildAnnouncement(options: AnnouncementOptions): StorageAnnouncement {
  const parsed = options.nurls.map(parseNurl);
  const first = parsed[0];
  if (!first) throw new RangeError('at least one NURL is needed for an announcement');
  const hints = parsed.map(furlHint).join(',');
  return {
    'anonymous-storage-FURL': `pb://${base32Encode(options.nodeId)}@${hints}/${first.swissnum}`,
    'anonymous-storage-NURLs': [...options.nurls],
    'permutation-seed-base32': options.permutationSeedBase32,
    nickname: options.nickname,
    'my-version': options.version,
    'oldest-supported': '1.0.0',
    'app-versions': [],
  };
}
