/**
 * Static storage servers from `NODEDIR/private/servers.yaml`, in Tahoe-LAFS's format
 * (`docs/configuration.rst`, "Static Server Definitions"):
 *
 * ```yaml
 * storage:
 *   v0-<server id>:
 *     ann:
 *       nickname: ...
 *       anonymous-storage-FURL: pb://...
 *       anonymous-storage-NURLs: [pb://...#v=1]
 *       permutation-seed-base32: ...
 * ```
 *
 * @module
 */
import { parse } from 'yaml';
import { FileTooLargeError, readFileAtMost } from '../../util/read-file-at-most.js';
import { AnnouncementError } from './errors.js';
import { type StorageServerInfo, serverInfoFromAnnouncement } from './server-info.js';

/** Largest `servers.yaml` read (a grid of thousands of servers fits easily). */
export const MAX_SERVERS_YAML_BYTES = 4 * 1024 * 1024;

/** Parses the text of a `servers.yaml`. `file` names it in errors. */
export function parseServersYaml(text: string, file: string): StorageServerInfo[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new AnnouncementError(
      file,
      `not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
  if (doc === null || doc === undefined) return [];
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new AnnouncementError(file, 'the top level must be a mapping');
  const storage = (doc as Record<string, unknown>).storage;
  if (storage === undefined || storage === null) return [];
  if (typeof storage !== 'object' || Array.isArray(storage)) {
    throw new AnnouncementError(file, "'storage' must be a mapping of server ids to {ann: ...}");
  }
  return Object.entries(storage as Record<string, unknown>).map(([serverId, entry]) => {
    const where = `${file}: storage.${serverId}`;
    if (typeof entry !== 'object' || entry === null)
      throw new AnnouncementError(where, "must be a mapping with 'ann'");
    return serverInfoFromAnnouncement(serverId, (entry as Record<string, unknown>).ann, `${where}.ann`);
  });
}

/** Reads and parses a `servers.yaml` file; a missing file means no static servers. */
export async function loadServersYaml(path: string): Promise<StorageServerInfo[]> {
  let text: string;
  try {
    text = Buffer.from(await readFileAtMost(path, MAX_SERVERS_YAML_BYTES)).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    if (error instanceof FileTooLargeError)
      throw new AnnouncementError(path, `larger than ${MAX_SERVERS_YAML_BYTES} bytes`);
    throw new AnnouncementError(path, `cannot be read (${(error as Error).message})`, { cause: error });
  }
  return parseServersYaml(text, path);
}
