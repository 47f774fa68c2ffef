/**
 * Finding the web gateway of a node, as Tahoe's CLI does: `--node-url URL`, else `NODEDIR/node.url` (the node
 * writes it when its gateway starts), with NODEDIR from `-d/--node-directory` (default `~/.tahoe`).
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { NodeUrlError } from './client-errors.js';
import { DEFAULT_NODE_DIR } from './node-dir-args.js';

/** The longest `node.url` accepted. */
const MAX_NODE_URL_BYTES = 4096;

/** The options every gateway client command takes. */
export interface NodeUrlArgs {
  'node-directory'?: string | undefined;
  'node-url'?: string | undefined;
}

/** Adds `-d/--node-directory` and `--node-url` to a command. */
export function nodeUrlOptions<T>(y: Argv<T>): Argv<T & NodeUrlArgs> {
  return y
    .option('node-directory', {
      alias: 'd',
      type: 'string',
      describe: "the node's base directory, holding node.url (default ~/.tahoe)",
    })
    .option('node-url', {
      type: 'string',
      describe: "the node's web gateway URL, e.g. http://127.0.0.1:3456/ (overrides --node-directory)",
    })
    .conflicts('node-url', 'node-directory') as Argv<T & NodeUrlArgs>;
}

function checkUrl(text: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new NodeUrlError(`${where}: ${JSON.stringify(text.trim())} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new NodeUrlError(`${where}: the node URL must be http:// or https://, got ${url.protocol}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The gateway's base URL (ending in `/`). @throws {NodeUrlError} naming the file or option. */
export async function resolveNodeUrl(args: NodeUrlArgs): Promise<URL> {
  if (args['node-url'] !== undefined) return checkUrl(args['node-url'], '--node-url');
  const dir = args['node-directory'] ?? DEFAULT_NODE_DIR;
  const file = join(dir, 'node.url');
  let text: string;
  try {
    // Read at most one byte past the limit: node.url could be anything, even a link to an endless device.
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(MAX_NODE_URL_BYTES + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new NodeUrlError(
      `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): is the node running? ` +
        'Start it with `lafs run`, or give --node-url.',
      { cause: error },
    );
  }
  if (text.length > MAX_NODE_URL_BYTES) throw new NodeUrlError(`${file} is too long to be a URL`);
  return checkUrl(text, file);
}
