/**
 * A grid of real storage servers on 127.0.0.1 in one process: each with its own node directory, TLS identity
 * and disk backend, speaking the HTTP storage protocol over HTTPS, without introducer or client nodes. Used by tests
 * (`test/support/local-grid.ts`) and benchmarks; `lafs demo` runs whole nodes instead (`demo-grid.ts`).
 *
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GridServer } from '../storage/client/grid.js';
import { serverInfoFromAnnouncement } from '../storage/client/server-info.js';
import { GbsClient } from '../storage/http/client.js';
import { type RunningStorageServer, startStorageServer } from '../storage/server/start.js';

/** Options of {@link startLocalGrid}. */
export interface LocalGridOptions {
  /** Number of storage servers (default 5). */
  servers?: number;
  /** Directory to hold the nodes (default: a new temporary directory, removed by `close`). */
  dir?: string;
}

/** Running servers and the directory they live in. */
export interface LocalGrid {
  dir: string;
  servers: RunningStorageServer[];
  /** Fresh storage-protocol clients for every server (closed by `close`). */
  clients(): GridServer[];
  /** Stops server `i`; clients made afterwards still list it, so it fails as a dead server would. */
  stop(i: number): Promise<void>;
  /** Stops every server and removes the directory if this grid created it. */
  close(): Promise<void>;
}

/** Starts storage servers named `storage0..` on 127.0.0.1 with ephemeral ports. */
export async function startLocalGrid(options: LocalGridOptions = {}): Promise<LocalGrid> {
  const count = options.servers ?? 5;
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lafs-grid-')));
  const servers: RunningStorageServer[] = [];
  const open: GbsClient[] = [];
  const stopped = new Set<number>();
  const close = async (): Promise<void> => {
    for (const c of open) c.close();
    await Promise.all(servers.map((s, i) => (stopped.has(i) ? undefined : s.close())));
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };
  try {
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
  } catch (error) {
    await close();
    throw error;
  }
  return {
    dir,
    servers,
    clients: () =>
      servers.map((s, i) => {
        const api = new GbsClient({ nurl: s.nurl });
        open.push(api);
        const id = `storage${i}`;
        return { info: serverInfoFromAnnouncement(id, s.announcement, id), api };
      }),
    stop: async (i) => {
      if (stopped.has(i)) return;
      stopped.add(i);
      await servers[i]!.close();
    },
    close,
  };
}
