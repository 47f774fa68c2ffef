/**
 * `lafs version-and-path` (also reached as `lafs --version-and-path`): versions and paths of lafs and every
 * dependency, as Tahoe's `tahoe --version-and-path` prints them.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { versionsAndPaths } from '../version.js';

interface Args {
  json: boolean;
}

/** Prints each package as `name: version (path)`, or a JSON array with `--json`. */
export const versionAndPathCommand: CommandModule<object, Args> = {
  command: 'version-and-path',
  describe: 'Print the versions and paths of lafs and its dependencies',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: (args) => {
    const infos = versionsAndPaths();
    if (args.json) {
      process.stdout.write(`${JSON.stringify(infos, null, 2)}\n`);
      return;
    }
    for (const info of infos) process.stdout.write(`${info.name}: ${info.version} (${info.path})\n`);
  },
};
