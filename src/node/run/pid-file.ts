/**
 * The running node's pid file, `NODEDIR/running.process` (the name Tahoe-LAFS 1.17+ uses): it holds the process
 * id and start time, stops a second `lafs run` in the same directory, and lets `lafs stop` find the process. A file
 * left behind by a process that no longer exists is replaced.
 *
 * @module
 */
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeAlreadyRunningError } from './errors.js';

/** The pid file's name inside the node directory. */
export const PID_FILE = 'running.process';

/** Whether a process with this id exists (EPERM: it exists but belongs to someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the pid from `NODEDIR/running.process`; `undefined` when missing or unreadable. */
export async function readPidFile(nodeDir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(nodeDir, PID_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

/** When this process started, in seconds since the epoch. */
function processStartSeconds(): number {
  return Date.now() / 1000 - process.uptime();
}

/** The start time recorded in the pid file (0 when missing or unreadable). */
async function readStartTime(nodeDir: string): Promise<number> {
  try {
    const text = await readFile(join(nodeDir, PID_FILE), 'utf8');
    const time = Number.parseFloat(text.trim().split(/\s+/)[1] ?? '');
    return Number.isFinite(time) ? time : 0;
  } catch {
    return 0;
  }
}

/** A held pid file. */
export interface PidFileLock {
  readonly path: string;
  /** Removes the file if it is still ours. Idempotent. */
  release(): Promise<void>;
}

/**
 * Creates `NODEDIR/running.process` exclusively with `"<pid> <start time>"`. Throws
 * {@link NodeAlreadyRunningError} when a live process holds it; a stale file is replaced.
 */
export async function acquirePidFile(nodeDir: string, pid = process.pid): Promise<PidFileLock> {
  const path = join(nodeDir, PID_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o644);
      try {
        await handle.writeFile(`${pid} ${(Date.now() / 1000).toFixed(3)}\n`);
      } finally {
        await handle.close();
      }
      let released = false;
      return {
        path,
        async release() {
          if (released) return;
          released = true;
          if ((await readPidFile(nodeDir)) === pid) await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readPidFile(nodeDir);
      if (holder !== undefined && processExists(holder)) {
        // Our own pid: this process runs the node already, unless the file predates this process (a pid
        // reused after a restart, as happens to pid 1 in containers).
        const ours = holder === pid && (await readStartTime(nodeDir)) >= processStartSeconds() - 1;
        if (holder !== pid || ours) throw new NodeAlreadyRunningError(path, holder);
      }
      await rm(path, { force: true });
    }
  }
  throw new NodeAlreadyRunningError(path, (await readPidFile(nodeDir)) ?? -1);
}
