/**
 * Keeps V8's young generation at its initial size for the life of the process.
 *
 * Why: lafs streams files through 1 MiB buffers that die young (every segment's AES output is a fresh buffer,
 * since `Cipher.update` has no in-place form; TLS records and read windows too). V8 collects them in its
 * young-generation scavenges. A busy process makes V8 grow the young generation up to 32 MiB of semi-spaces,
 * and the bigger it is, the later garbage buffers are freed. Pinning it at its initial 1 MiB semi-spaces
 * took 10-17 MiB off the peak RSS of a 1 GiB CHK encode (about 1 MiB off a decode, whose buffers are freed by
 * another trigger) at no measurable cost in speed (docs/performance.md, "Session 3").
 *
 * `--max-semi-space-size` only works on the command line; the growth factor is read whenever V8 considers
 * growing the young generation, so setting it at run time works. Call this once, early, in processes lafs owns
 * (the CLI, benchmarks); a library must not change its host's V8 settings, so nothing in `src/` outside the
 * CLI calls it.
 *
 * @module
 */
import { setFlagsFromString } from 'node:v8';

let applied = false;

/**
 * Stops V8 from growing the young generation of this process. Idempotent. Does nothing when
 * `LAFS_V8_DEFAULTS=1` is set in the environment (to compare against V8's own heuristics).
 */
export function pinYoungGeneration(env: NodeJS.ProcessEnv = process.env): boolean {
  if (applied) return true;
  if (env.LAFS_V8_DEFAULTS === '1') return false;
  setFlagsFromString('--semi-space-growth-factor=1');
  applied = true;
  return true;
}
