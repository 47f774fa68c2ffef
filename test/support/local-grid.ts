/**
 * A grid of real storage servers on 127.0.0.1 (HTTPS, real disk backends in a temp dir), and grid clients for
 * them, for tests and benchmarks.
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GridServer } from '../../src/storage/client/grid.js';
import { serverInfoFromAnnouncement } from '../../src/storage/client/server-info.js';
import { GbsClient } from '../../src/storage/http/client.js';
import { type RunningStorageServer, startStorageServer } from '../../src/storage/server/start.js';

/** Running servers and the directory they live in. */
export interface LocalGrid {
  dir: string;
  servers: RunningStorageServer[];
  /** Fresh clients for every server still in `servers` (closed by `close`). */
  clients(): GridServer[];
  /** Stops server `i` (it stays in the list, so clients of it fail as a dead server would). */
  stop(i: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts `count` storage servers on 127.0.0.1 with ephemeral ports. */
export async function startLocalGrid(count: number): Promise<LocalGrid> {
  const dir = await mkdtemp(join(tmpdir(), 'lafs-grid-'));
  const servers: RunningStorageServer[] = [];
  const open: GbsClient[] = [];
  const stopped = new Set<number>();
  for (let i = 0; i < count; i++) {
    const base = join(dir, `storage${i}`);
    await mkdir(join(base, 'private'), { recursive: true, mode: 0o700 });
    servers.push(
      await startStorageServer({
        storageDir: join(base, 'storage'),
        privateDir: join(base, 'private'),
        listen: { host: '127.0.0.1', port: 0 },
        nickname: `storage${i}`,
      }),
    );
  }
  return {
    dir,
    servers,
    clients: () =>
      servers.map((s, i) => {
        const api = new GbsClient({ nurl: s.nurl });
        open.push(api);
        return { info: serverInfoFromAnnouncement(`server${i}`, s.announcement, `server${i}`), api };
      }),
    stop: async (i) => {
      if (stopped.has(i)) return;
      stopped.add(i);
      await servers[i]!.close();
    },
    close: async () => {
      for (const c of open) c.close();
      await Promise.all(servers.map((s, i) => (stopped.has(i) ? undefined : s.close())));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
