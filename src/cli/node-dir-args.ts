/**
 * The node directory argument of the commands that work on an existing node (`run`, `stop`, `check-config`,
 * `admin ...`): an optional `[nodedir]` positional or `--basedir`/`-C` (Tahoe-LAFS's `--basedir`), defaulting to
 * Tahoe's `~/.tahoe`.
 *
 * @module
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Argv } from 'yargs';

/** Tahoe's default node directory. */
export const DEFAULT_NODE_DIR = join(homedir(), '.tahoe');

/** The parsed node directory arguments. */
export interface NodeDirArgs {
  nodedir?: string;
  basedir?: string;
}

/** Adds the `[nodedir]` positional (the command string must name it) and `--basedir`/`-C` to `y`. */
export function withNodeDirArgs<T>(y: Argv<T>): Argv<T & NodeDirArgs> {
  return y
    .positional('nodedir', { type: 'string', describe: `The node directory [default: ${DEFAULT_NODE_DIR}]` })
    .option('basedir', { alias: 'C', type: 'string', describe: 'The node directory (instead of NODEDIR)' });
}

/** The absolute node directory the arguments name: `--basedir`, else NODEDIR, else {@link DEFAULT_NODE_DIR}. */
export function nodeDirOf(args: NodeDirArgs): string {
  return resolve(args.basedir ?? args.nodedir ?? DEFAULT_NODE_DIR);
}
