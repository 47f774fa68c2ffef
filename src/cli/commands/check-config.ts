/**
 * `lafs check-config [NODEDIR]`: validate a node directory without running it. Exit 0 when valid; exit 1
 * listing every problem (with `--json`, one JSON document for scripts).
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { checkNodeConfig } from '../../config/load.js';
import { type NodeDirArgs, nodeDirOf, withNodeDirArgs } from '../node-dir-args.js';

interface Args extends NodeDirArgs {
  json: boolean;
}

/** One problem as `--json` prints it. */
export interface CheckConfigProblemJson {
  code: string;
  kind: string;
  file: string;
  section: string;
  key: string;
  value: string | null;
  line: number | null;
  message: string;
}

/** The `--json` output of `lafs check-config`. */
export interface CheckConfigJson {
  nodeDir: string;
  valid: boolean;
  nodeType: string | null;
  anonymous: boolean | null;
  problems: CheckConfigProblemJson[];
  warnings: string[];
}

/** `lafs check-config [NODEDIR]`. */
export const checkConfigCommand: CommandModule<object, Args> = {
  command: 'check-config [nodedir]',
  describe: "Check a node directory's tahoe.cfg (and the files beside it) without running the node",
  builder: (y) => {
    return withNodeDirArgs(y).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print one JSON document',
    }) as never;
  },
  handler: async (args) => {
    const nodeDir = nodeDirOf(args);
    const result = await checkNodeConfig(nodeDir);
    const valid = result.settings !== undefined;
    if (args.json) {
      const out: CheckConfigJson = {
        nodeDir,
        valid,
        nodeType: result.settings?.nodeType ?? null,
        anonymous: result.settings?.anonymous ?? null,
        problems: result.problems.map((p) => ({
          code: p.code,
          kind: p.kind,
          file: p.file,
          section: p.section,
          key: p.key,
          value: p.value ?? null,
          line: p.line ?? null,
          message: p.reason,
        })),
        warnings: result.warnings,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else if (result.settings !== undefined) {
      const mode = result.settings.anonymous ? ', anonymous (reveal-IP-address = false)' : '';
      process.stdout.write(`${nodeDir}: valid ${result.settings.nodeType} configuration${mode}\n`);
      for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
    } else {
      const count = result.problems.length === 1 ? '1 problem' : `${result.problems.length} problems`;
      process.stdout.write(`${nodeDir}: ${count}\n`);
      for (const problem of result.problems) {
        const tag = problem.kind === 'privacy' ? 'privacy' : 'error';
        process.stdout.write(`${tag}: ${problem.message}\n`);
      }
      for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
    }
    if (!valid) process.exitCode = 1;
  },
};
