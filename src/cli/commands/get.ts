/**
 * `lafs get CAP [FILE]`: downloads an immutable file through the node's web gateway (`GET /uri/$FILECAP`,
 * webapi.rst "Reading a File") to FILE or standard output, as `tahoe get` does.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { CommandModule } from 'yargs';
import { parseCap } from '../../storage/caps/parse.js';
import { GatewayConnectionError } from '../client-errors.js';
import { expectStatus, gatewayRequest } from '../client-http.js';
import { type NodeUrlArgs, nodeUrlOptions, resolveNodeUrl } from '../client-node-url.js';
import { progressBar } from '../progress.js';

interface Args extends NodeUrlArgs {
  cap: string;
  file?: string | undefined;
}

/** `lafs get CAP [FILE] [-d NODEDIR | --node-url URL]`. */
export const getCommand: CommandModule<object, Args> = {
  command: 'get <cap> [file]',
  describe: 'Download an immutable file to FILE (default: standard output)',
  builder: (y) =>
    nodeUrlOptions(y)
      .positional('cap', {
        type: 'string',
        demandOption: true,
        describe: 'the read cap (URI:CHK:... or URI:LIT:...)',
      })
      .positional('file', { type: 'string', describe: 'where to write it (default: standard output)' }),
  handler: async (args) => {
    const cap = args.cap.trim();
    parseCap(cap); // a malformed cap fails here, with the field and position, before any traffic
    const base = await resolveNodeUrl(args);
    const url = new URL(`uri/${encodeURIComponent(cap)}`, base);
    const res = await gatewayRequest(url);
    await expectStatus(res);
    const length = Number(res.headers['content-length']);
    const total = Number.isSafeInteger(length) ? length : undefined;
    const toFile = args.file !== undefined && args.file !== '-';
    // No bar when the file itself goes to the terminal.
    const bar =
      toFile || !process.stdout.isTTY ? progressBar() : { onProgress: undefined, done: () => undefined };
    let received = 0;
    res.on('data', (chunk: Buffer) => {
      received += chunk.length;
      bar.onProgress?.({ phase: 'downloading', done: received, total });
    });
    const sink: Writable = toFile ? createWriteStream(args.file!, { flags: 'w' }) : process.stdout;
    try {
      await pipeline(res, sink, { end: toFile });
      if (total !== undefined && received !== total)
        throw new GatewayConnectionError(`the download stopped after ${received} of ${total} bytes`);
    } catch (error) {
      // Leave no partial file behind: a truncated download must not look like a good one.
      if (toFile) await rm(args.file!, { force: true });
      if (error instanceof GatewayConnectionError) throw error;
      throw new GatewayConnectionError(
        `the download failed after ${received}${total === undefined ? '' : ` of ${total}`} bytes: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      );
    } finally {
      bar.done();
    }
  },
};
