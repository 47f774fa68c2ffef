#!/usr/bin/env node
/**
 * The `lafs` command line. Argument parsing only: every command calls into the library or a node.
 *
 * @module
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { LafsError } from '../errors.js';
import { pinYoungGeneration } from '../util/young-generation.js';
import { commands } from './commands/index.js';
import { UsageError } from './usage-error.js';
import { lafsVersion } from './version.js';

/** Exit codes scripts can rely on. */
export const ExitCode = {
  ok: 0,
  /** The command ran and found a problem (invalid config, failed check). */
  failure: 1,
  /** The command line itself was wrong. */
  usage: 2,
} as const;

/** Runs the CLI with `argv` (without the node and script paths). Resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  // `--version-and-path` is Tahoe's spelling; route it to the subcommand.
  const args = argv.map((a) => (a === '--version-and-path' ? 'version-and-path' : a));
  const parser = yargs(args)
    .scriptName('lafs')
    .version(lafsVersion())
    .strict()
    .demandCommand(1, 'Name a command (lafs --help lists them).')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    // Stop parsing on the first problem: yargs would otherwise still run the handler.
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  for (const command of commands) parser.command(command);
  try {
    await parser.parseAsync();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lafs: ${error.message}\nRun 'lafs --help' for usage.\n`);
      return ExitCode.usage;
    }
    if (error instanceof LafsError) {
      process.stderr.write(`lafs: ${error.message}\n`);
      return ExitCode.failure;
    }
    throw error;
  }
  return process.exitCode !== undefined && process.exitCode !== 0 ? Number(process.exitCode) : ExitCode.ok;
}

/** True when this file is the process's entry point (directly or through the `lafs` bin symlink). */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

const isMain = isEntryPoint();
if (isMain) {
  // lafs streams large files through short-lived buffers: see util/young-generation.ts.
  pinYoungGeneration();
  runCli(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `lafs: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 70;
    },
  );
}
