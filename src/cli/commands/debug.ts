/**
 * `lafs debug ...`: low-level inspection tools (parse a hint, dump a capability or a share file). Each
 * subcommand lives in `./debug/`.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { dumpCapCommand } from './debug/dump-cap.js';
import { dumpShareCommand } from './debug/dump-share.js';
import { parseHintCommand } from './debug/parse-hint.js';

/** The `debug` subcommands; each module adds itself to this list. */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types.
export const debugSubcommands: CommandModule<any, any>[] = [
  parseHintCommand,
  dumpCapCommand,
  dumpShareCommand,
];

/** `lafs debug <subcommand>`. */
export const debugCommand: CommandModule = {
  command: 'debug',
  describe: 'Low-level tools: parse hints, dump capabilities and share files',
  builder: (y) => {
    for (const sub of debugSubcommands) y.command(sub);
    return y.demandCommand(1, 'Name a debug subcommand (lafs debug --help lists them).');
  },
  handler: () => {},
};
