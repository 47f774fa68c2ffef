/**
 * Every `lafs` subcommand, in the order `lafs --help` lists them. Each lives in its own file.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { adminCommand } from './admin.js';
import { checkConfigCommand } from './check-config.js';
import { createClientCommand, createIntroducerCommand, createNodeCommand } from './create-node.js';
import { debugCommand } from './debug.js';
import { demoCommand } from './demo.js';
import { getCommand } from './get.js';
import { lsCommand } from './ls.js';
import { putCommand } from './put.js';
import { runCommand } from './run.js';
import { statusCommand } from './status.js';
import { stopCommand } from './stop.js';
import { versionAndPathCommand } from './version-and-path.js';

/** The subcommands registered with yargs by `main.ts`. */
// biome-ignore lint/suspicious/noExplicitAny: yargs command modules differ in their argument types.
export const commands: CommandModule<any, any>[] = [
  createNodeCommand,
  createClientCommand,
  createIntroducerCommand,
  checkConfigCommand,
  runCommand,
  stopCommand,
  demoCommand,
  putCommand,
  getCommand,
  lsCommand,
  statusCommand,
  debugCommand,
  adminCommand,
  versionAndPathCommand,
];
