/**
 * `lafs put [FILE]`: uploads a file (or standard input) through the node's web gateway (`PUT /uri`, webapi.rst
 * "Writing/Uploading a File") and prints its cap, as `tahoe put` does for an unlinked upload.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { CommandModule } from 'yargs';
import { LafsError } from '../../errors.js';
import { expectStatus, gatewayRequest, readText } from '../client-http.js';
import { type NodeUrlArgs, nodeUrlOptions, resolveNodeUrl } from '../client-node-url.js';
import { progressBar } from '../progress.js';

interface Args extends NodeUrlArgs {
  file?: string | undefined;
  json: boolean;
}

/** Counts the bytes flowing through `source`, reporting each step. */
async function* counting(
  source: AsyncIterable<Uint8Array>,
  onBytes: (total: number) => void,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    onBytes(total);
    yield chunk;
  }
}

/** The size of `file` when it is a regular file (Content-Length and a complete progress bar). */
async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new LafsError('ERR_PUT_SOURCE', 'input', `${file} is a directory`);
    return info.isFile() ? info.size : undefined;
  } catch (error) {
    if (error instanceof LafsError) throw error;
    throw new LafsError(
      'ERR_PUT_SOURCE',
      'input',
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
}

/** `lafs put [FILE] [-d NODEDIR | --node-url URL] [--json]`. */
export const putCommand: CommandModule<object, Args> = {
  command: 'put [file]',
  describe: 'Upload a file (or standard input) as an immutable file and print its cap',
  builder: (y) =>
    nodeUrlOptions(y)
      .positional('file', { type: 'string', describe: 'the file to upload (default: standard input)' })
      .option('json', { type: 'boolean', default: false, describe: 'print {"cap", "size"} as JSON' }),
  handler: async (args) => {
    const base = await resolveNodeUrl(args);
    const fromStdin = args.file === undefined || args.file === '-';
    const size = fromStdin ? undefined : await sizeOf(args.file!);
    const source = fromStdin
      ? (process.stdin as AsyncIterable<Uint8Array>)
      : (createReadStream(args.file!, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>);
    const bar = progressBar();
    let sent = 0;
    const body = Readable.from(
      counting(source, (n) => {
        sent = n;
        bar.onProgress?.({ phase: 'uploading', done: n, total: size });
      }),
    );
    let cap: string;
    try {
      const res = await gatewayRequest(new URL('uri', base), { method: 'PUT', body, contentLength: size });
      bar.done();
      await expectStatus(res);
      cap = (await readText(res)).trim();
    } finally {
      bar.done();
    }
    if (!cap.startsWith('URI:'))
      throw new LafsError('ERR_GATEWAY_RESPONSE', 'remote', 'the gateway answered without a cap');
    process.stdout.write(args.json ? `${JSON.stringify({ cap, size: sent })}\n` : `${cap}\n`);
  },
};
