/**
 * The Node options and environment a lafs process starts with. `bin/lafs` (the installed `lafs` command)
 * applies them; the benchmarks start their child processes with them, so that the memory they report is what
 * `lafs` uses. Both settings only work when the process starts, which is why they live in a launcher and not
 * in `main.ts` (whose run-time counterpart is `util/young-generation.ts`).
 *
 * - `--max-semi-space-size=1`: V8's young generation stays at 1 MiB per semi-space. lafs discards a 1 MiB
 *   buffer or more per segment (AES output, read windows), and a smaller young generation frees them sooner.
 * - `MALLOC_ARENA_MAX=1`: glibc keeps one malloc arena rather than one per thread (the thread pool hashes and
 *   does file I/O), so freed native memory is reused instead of sitting in other threads' arenas.
 *
 * Measured together on a 1 GiB CHK encode and decode and grid transfers: 15-25 MiB less peak RSS, speed within
 * run-to-run noise (docs/performance.md). `bin/lafs` and {@link launchSettings} must agree; a test checks it.
 *
 * @module
 */

/** Node command-line options `bin/lafs` passes before the script. */
export const LAUNCH_NODE_OPTIONS: readonly string[] = ['--max-semi-space-size=1'];

/** Environment `bin/lafs` sets when the caller has not set the variable already. */
export const LAUNCH_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '1' };

/** What to start a lafs child process with: its Node options and its environment. */
export interface LaunchSettings {
  nodeOptions: string[];
  env: NodeJS.ProcessEnv;
}

/**
 * The options and environment `bin/lafs` would start Node with, given the caller's environment: none of them
 * when `LAFS_V8_DEFAULTS=1`, and a variable the caller set is kept as it is.
 */
export function launchSettings(env: NodeJS.ProcessEnv = process.env): LaunchSettings {
  if (env.LAFS_V8_DEFAULTS === '1') return { nodeOptions: [], env: { ...env } };
  return { nodeOptions: [...LAUNCH_NODE_OPTIONS], env: { ...LAUNCH_ENVIRONMENT, ...env } };
}
