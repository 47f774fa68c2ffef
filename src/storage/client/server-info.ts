/**
 * What a client knows of a storage server, built from its announcement (from an introducer or a static
 * `private/servers.yaml`), in the shape Tahoe-LAFS 1.20 announces (`storage_client.py` `_parse_announcement`).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { base32Decode } from '../../crypto/base32.js';
import { parseNurl } from '../http/nurl.js';
import { AnnouncementError } from './errors.js';

/** A storage server as the grid client uses it. */
export interface StorageServerInfo {
  /** The server id: `v0-<base32 public key>` as Tahoe names servers, or any string a `servers.yaml` uses. */
  serverId: string;
  nickname: string;
  /** HTTP storage protocol URLs, in the announced order of preference. */
  nurls: string[];
  /** Input to the per-file server order ({@link permuteServers}). */
  permutationSeed: Uint8Array;
  /** The tub id from the fURL: Tahoe derives lease secrets and write enablers from it. */
  leaseSeed: Uint8Array;
}

const FURL_TUBID = /^pb:\/\/([a-z2-7]+)@/i;

/**
 * Builds a {@link StorageServerInfo} from an announcement body (`ann`). The permutation seed is
 * `permutation-seed-base32` if present, else the base32 key of a `v0-` server id, else SHA-256 of the server id,
 * as Tahoe does.
 *
 * @param where - where the announcement came from, for error messages (e.g. `servers.yaml: storage.v0-abc`).
 */
export function serverInfoFromAnnouncement(serverId: string, ann: unknown, where: string): StorageServerInfo {
  if (typeof ann !== 'object' || ann === null)
    throw new AnnouncementError(where, 'the announcement is not a mapping');
  const fields = ann as Record<string, unknown>;
  const nurlsField = fields['anonymous-storage-NURLs'];
  if (
    !Array.isArray(nurlsField) ||
    nurlsField.length === 0 ||
    !nurlsField.every((n) => typeof n === 'string')
  ) {
    throw new AnnouncementError(
      where,
      "'anonymous-storage-NURLs' must be a non-empty list of NURLs (lafs speaks only the HTTP storage protocol)",
    );
  }
  for (const nurl of nurlsField) {
    try {
      parseNurl(nurl);
    } catch (error) {
      throw new AnnouncementError(
        where,
        `bad NURL: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  const furl = fields['anonymous-storage-FURL'];
  let leaseSeed: Uint8Array;
  const tubid = typeof furl === 'string' ? FURL_TUBID.exec(furl)?.[1] : undefined;
  if (tubid !== undefined) {
    leaseSeed = base32Decode(tubid.toLowerCase(), `${where}: the fURL's tub id`);
  } else {
    // No fURL: fall back to a seed derived from the server id, like Tahoe's placeholder for unusable servers.
    leaseSeed = createHash('sha256').update(serverId).digest();
  }
  const seedField = fields['permutation-seed-base32'];
  let permutationSeed: Uint8Array;
  if (typeof seedField === 'string') {
    permutationSeed = base32Decode(seedField, `${where}: permutation-seed-base32`);
  } else if (/^v0-[a-z2-7]{52}$/.test(serverId)) {
    permutationSeed = base32Decode(serverId.slice(3), `${where}: server id`);
  } else {
    permutationSeed = createHash('sha256').update(serverId).digest();
  }
  const nickname = typeof fields.nickname === 'string' ? fields.nickname : '';
  return { serverId, nickname, nurls: [...(nurlsField as string[])], permutationSeed, leaseSeed };
}
