/**
 * Runs one benchmark phase in a fresh Node process, so that its peak RSS is its own: the job goes in as one
 * JSON line on stdin, the result comes back as one JSON line on stdout.
 *
 * @module
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { launchSettings } from '../src/cli/launch-settings.js';

/** The path of a compiled benchmark script next to this one (`name` like `'./grid-client.js'`). */
export const benchScript = (name: string): string => fileURLToPath(new URL(name, import.meta.url));

/**
 * Starts a benchmark script in a new Node process as `bin/lafs` starts lafs (its Node options and environment,
 * src/cli/launch-settings.ts), so that the memory measured is the memory `lafs` uses; stdin and stdout are
 * pipes, stderr is this process's.
 */
export function spawnBenchScript(
  script: string,
  args: string[] = [],
): ChildProcessByStdio<Writable, Readable, null> {
  const { nodeOptions, env } = launchSettings();
  return spawn(process.execPath, [...nodeOptions, ...process.execArgv, script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
}

/** The next line, or '' when the stream ends first. */
export function nextLine(lines: Interface): Promise<string> {
  return new Promise((resolve) => {
    const done = (line: string): void => {
      lines.off('line', done);
      lines.off('close', closed);
      resolve(line);
    };
    const closed = (): void => done('');
    lines.on('line', done);
    lines.on('close', closed);
  });
}

/** Runs `script` with `job` on its stdin and returns the JSON line it prints; throws if it fails. */
export async function runBenchChild<T>(script: string, job: Record<string, unknown>): Promise<T> {
  const child = spawnBenchScript(script);
  const lines = createInterface({ input: child.stdout });
  child.stdin.end(`${JSON.stringify(job)}\n`);
  const [exit, line] = await Promise.all([once(child, 'exit') as Promise<[number | null]>, nextLine(lines)]);
  if (exit[0] !== 0 || line === '') {
    throw new Error(`benchmark phase ${JSON.stringify(job.phase)} failed (exit ${exit[0]})`);
  }
  return JSON.parse(line) as T;
}

/** Reads the one job line a benchmark child gets on stdin. */
export async function readJob<T>(): Promise<T> {
  const line = await nextLine(createInterface({ input: process.stdin }));
  return JSON.parse(line) as T;
}
