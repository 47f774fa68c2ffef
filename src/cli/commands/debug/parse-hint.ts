/**
 * `lafs debug parse-hint HINT...`: shows how lafs reads connection hints (or, with `--as`, listen descriptors
 * and `tub.location` values): the canonical form and the parsed fields. Exits 1 naming each bad one.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { DescriptorError } from '../../../endpoints/errors.js';
import { createDefaultRegistry } from '../../../endpoints/registry.js';

interface Args {
  hints: string[];
  as: 'hint' | 'listen' | 'location';
  json: boolean;
  'allow-raw-ip-to-tor': boolean;
}

type Outcome =
  | { input: string; canonical: string; parsed: unknown }
  | { input: string; error: { code: string; position: number; expected: string; message: string } };

/** Parses every argument and prints the result; sets exit code 1 if any is malformed. */
export const parseHintCommand: CommandModule<object, Args> = {
  command: 'parse-hint <hints..>',
  describe: 'Parse connection hints (or listen descriptors, tub.location values) and print their parsed form',
  builder: (y) =>
    y
      .positional('hints', { type: 'string', array: true, demandOption: true, describe: 'hints to parse' })
      .option('as', {
        choices: ['hint', 'listen', 'location'] as const,
        default: 'hint' as const,
        describe: 'read the arguments as connection hints, tub.port/web.port values, or tub.location values',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' })
      .option('allow-raw-ip-to-tor', {
        type: 'boolean',
        default: false,
        describe: 'accept tor: hints with a raw IP address (refused by default)',
      }),
  handler: (args) => {
    const registry = createDefaultRegistry({ dangerouslyAllowRawIpToTor: args['allow-raw-ip-to-tor'] });
    const outcomes: Outcome[] = args.hints.map((input) => {
      try {
        if (args.as === 'listen') {
          const parsed = registry.parseListenList(input);
          return { input, canonical: registry.formatListenList(parsed), parsed };
        }
        if (args.as === 'location') {
          const parsed = registry.parseLocation(input);
          return { input, canonical: registry.formatLocation(parsed), parsed };
        }
        const parsed = registry.parseHint(input);
        return { input, canonical: registry.formatHint(parsed), parsed };
      } catch (error) {
        if (!(error instanceof DescriptorError)) throw error;
        const { code, position, expected, message } = error;
        return { input, error: { code, position, expected, message } };
      }
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
    } else {
      for (const outcome of outcomes) {
        if ('error' in outcome) {
          process.stderr.write(
            `lafs: ${outcome.error.message}\n  ${outcome.input}\n  ${' '.repeat(outcome.error.position)}^\n`,
          );
        } else {
          process.stdout.write(
            `${outcome.input}\n  canonical: ${outcome.canonical}\n  parsed: ${JSON.stringify(outcome.parsed)}\n`,
          );
        }
      }
    }
    if (outcomes.some((o) => 'error' in o)) process.exitCode = 1;
  },
};
