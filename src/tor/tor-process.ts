/**
 * A spawned `tor` child process: start it, keep its last log lines, observe its exit, and stop it (SIGTERM, then
 * SIGKILL after a bound). Knows nothing of the control protocol; see `launch.ts`.
 *
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TorExecutableNotFoundError } from './errors.js';

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A running tor process. */
export interface TorProcess {
  readonly child: ChildProcess;
  /** Resolves once the process has started, or rejects with {@link TorExecutableNotFoundError}. */
  readonly spawned: Promise<void>;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ProcessExit>;
  /** True once the process has exited. */
  readonly hasExited: () => boolean;
  /** The last log lines (stdout and stderr), oldest first. */
  readonly lastLines: () => string[];
  /** Stops the process: SIGTERM, then SIGKILL after `graceMs`. Idempotent; resolves once it has exited. */
  readonly stop: (graceMs: number) => Promise<ProcessExit>;
}

/** How many log lines are kept for error messages. */
const KEPT_LINES = 20;
/** Longest log line kept (the rest is cut). */
const MAX_LINE_CHARS = 1000;

/**
 * Spawns `executable` with `args`; stdout/stderr are read line by line into a small ring buffer and passed to
 * `onLine` (registered before any output can arrive).
 */
export function spawnTor(
  executable: string,
  args: readonly string[],
  onLine?: (line: string) => void,
): TorProcess {
  const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    reader.on('line', (line) => {
      lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}...` : line);
      if (lines.length > KEPT_LINES) lines.shift();
      onLine?.(line);
    });
  }
  let exit: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.once('error', () => {
      if (child.pid === undefined) {
        exit = { code: null, signal: null };
        resolve(exit);
      }
    });
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) reject(new TorExecutableNotFoundError(executable, { cause: error }));
    });
  });
  spawned.catch(() => {}); // observed through `spawned` by the caller; avoid an unhandled rejection meanwhile
  let stopping: Promise<ProcessExit> | undefined;
  const stop = (graceMs: number): Promise<ProcessExit> => {
    stopping ??= (async () => {
      if (exit) return exit;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (!exit) child.kill('SIGKILL');
          resolve();
        }, graceMs);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
      return exited;
    })();
    return stopping;
  };
  return { child, spawned, exited, hasExited: () => exit !== undefined, lastLines: () => [...lines], stop };
}
