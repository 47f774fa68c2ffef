/**
 * `lafs ls CAP`: what the node's web gateway knows of a file (`GET /uri/$FILECAP?t=json`, webapi.rst "Getting
 * Information About a File Or Directory"). Directories are not supported yet, so this shows one file.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { parseCap } from '../../storage/caps/parse.js';
import { GatewayResponseError } from '../client-errors.js';
import { getJson } from '../client-http.js';
import { type NodeUrlArgs, nodeUrlOptions, resolveNodeUrl } from '../client-node-url.js';

interface Args extends NodeUrlArgs {
  cap: string;
  json: boolean;
}

interface FileNode {
  ro_uri?: string;
  verify_uri?: string;
  size?: number;
  mutable?: boolean;
  format?: string;
}

/** `lafs ls CAP [--json]`. */
export const lsCommand: CommandModule<object, Args> = {
  command: 'ls <cap>',
  describe: "Show a file's details (size, format, read and verify caps)",
  builder: (y) =>
    nodeUrlOptions(y)
      .positional('cap', { type: 'string', demandOption: true, describe: 'the cap to describe' })
      .option('json', { type: 'boolean', default: false, describe: "print the gateway's t=json answer" }),
  handler: async (args) => {
    const cap = args.cap.trim();
    parseCap(cap);
    const base = await resolveNodeUrl(args);
    const answer = await getJson(new URL(`uri/${encodeURIComponent(cap)}?t=json`, base));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
      return;
    }
    if (
      !Array.isArray(answer) ||
      answer[0] !== 'filenode' ||
      typeof answer[1] !== 'object' ||
      answer[1] === null
    ) {
      throw new GatewayResponseError(
        200,
        'the gateway did not describe a file (expected ["filenode", {...}])',
      );
    }
    const node = answer[1] as FileNode;
    const lines = [
      `type:       file`,
      `format:     ${node.format ?? '?'}`,
      `mutable:    ${node.mutable === true ? 'yes' : 'no'}`,
      `size:       ${node.size ?? '?'} bytes`,
      `read cap:   ${node.ro_uri ?? '-'}`,
      `verify cap: ${node.verify_uri ?? '-'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
