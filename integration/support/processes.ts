/**
 * Checks that daemons the tests started (tor, i2pd) are really gone: by pid, and by a path on their command line
 * (their data directory), read from `/proc`.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line mentions `path` (from /proc). */
export function processesUsing(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(path)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}
