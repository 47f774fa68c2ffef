/**
 * The error for a wrong command line: printed with a hint to `--help`, exit code 2.
 *
 * @module
 */

/** Thrown by argument checks (and for yargs's own validation failures): the command line itself is wrong. */
export class UsageError extends Error {
  override name = 'UsageError';
}
