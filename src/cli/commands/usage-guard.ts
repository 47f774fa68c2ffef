/**
 * Keeps a command's handler from running after yargs reported a usage error. `main.ts` installs a `.fail()`
 * callback that prints the message and returns; yargs then still calls the handler, with whatever arguments it
 * parsed (a lost NODEDIR would become the default `~/.tahoe`). Commands that write files must not run then.
 *
 * @module
 */
import type { Argv } from 'yargs';

/** A flag set when yargs fails while parsing the command it was installed for. */
export interface UsageGuard {
  readonly failed: boolean;
}

/** Installs a `.fail()` observer on `y` (which then falls through to `main.ts`'s) and returns its flag. */
export function guardUsage<T>(y: Argv<T>): { argv: Argv<T>; guard: UsageGuard } {
  const guard = { failed: false };
  const argv = y.fail((_message, error) => {
    if (error) throw error;
    guard.failed = true;
  });
  return { argv, guard };
}
