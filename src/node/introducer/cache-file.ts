/**
 * The client's announcement cache, `NODEDIR/private/introducer_<petname>_cache.yaml` in Tahoe-LAFS's shape
 * (`introducer/client.py` `_save_announcements` / `_load_announcements`): a YAML list of `{ann, key_s}`. It lets
 * a node find its storage servers before the introducer answers. Entries are unsigned: the file is trusted as
 * much as the node directory it lives in.
 *
 * @module
 */
import { open, rename, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { IntroducerCacheError } from './errors.js';
import { parseKeyString } from './node-key.js';
import type { AnnouncementBody } from './signed-announcement.js';

/** The largest cache file read (about 4000 announcements). */
export const MAX_CACHE_BYTES = 4 * 1024 * 1024;

/** One cached announcement. */
export interface CachedAnnouncement {
  ann: AnnouncementBody;
  /** The server id, `v0-<base32 key>`. */
  key_s: string;
}

/** What {@link loadAnnouncementCache} found. */
export interface LoadedCache {
  entries: CachedAnnouncement[];
  /** Skipped entries, each naming its position and defect. */
  problems: string[];
  /** The file's modification time (ms), used as the entries' receive time. */
  mtimeMs: number;
}

/**
 * Reads the cache. A missing file gives no entries; an unreadable or oversized file throws
 * {@link IntroducerCacheError}; malformed entries are skipped and reported in `problems`.
 */
export async function loadAnnouncementCache(path: string): Promise<LoadedCache> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], problems: [], mtimeMs: 0 };
    throw new IntroducerCacheError(path, (error as Error).message, { cause: error });
  }
  let text: string;
  let mtimeMs: number;
  try {
    const info = await handle.stat();
    mtimeMs = info.mtimeMs;
    if (info.size > MAX_CACHE_BYTES)
      throw new IntroducerCacheError(path, `${info.size} bytes is more than the ${MAX_CACHE_BYTES} allowed`);
    text = await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new IntroducerCacheError(path, `not YAML: ${(error as Error).message}`, { cause: error });
  }
  if (doc === null || doc === undefined) return { entries: [], problems: [], mtimeMs };
  if (!Array.isArray(doc)) throw new IntroducerCacheError(path, 'expected a list of {ann, key_s}');
  const entries: CachedAnnouncement[] = [];
  const problems: string[] = [];
  doc.forEach((item: unknown, i) => {
    const { ann, key_s } = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof ann !== 'object' || ann === null || Array.isArray(ann))
      problems.push(`${path}: entry ${i}: "ann" must be a mapping`);
    else if (typeof key_s !== 'string' || parseKeyString(key_s) === undefined)
      problems.push(`${path}: entry ${i}: "key_s" must be v0- and 52 base32 characters`);
    else if (typeof (ann as AnnouncementBody)['service-name'] !== 'string')
      problems.push(`${path}: entry ${i}: the announcement has no "service-name"`);
    else entries.push({ ann: ann as AnnouncementBody, key_s });
  });
  return { entries, problems, mtimeMs };
}

/** Writes the cache atomically (a temporary file renamed over the old one), mode 0600. */
export async function saveAnnouncementCache(
  path: string,
  entries: readonly CachedAnnouncement[],
): Promise<void> {
  const text =
    entries.length === 0 ? '[]\n' : stringify(entries.map((e) => ({ ann: e.ann, key_s: e.key_s })));
  const tmp = `${path}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
