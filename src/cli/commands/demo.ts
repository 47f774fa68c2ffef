/**
 * `lafs demo`: runs a local grid on 127.0.0.1, uploads and downloads a sample file, prints the cap and the
 * numbers, and with `--keep` leaves the grid running until Ctrl-C.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { runDemo } from '../../node/demo.js';
import { progressBar } from '../progress.js';
import { UsageError } from '../usage-error.js';
import { lafsVersion } from '../version.js';

interface Args {
  size: number;
  servers: number;
  keep: boolean;
  json: boolean;
}

/** `lafs demo [--size BYTES] [--servers N] [--keep] [--json]`. */
export const demoCommand: CommandModule<object, Args> = {
  command: 'demo',
  describe:
    'Run a local grid on 127.0.0.1, upload and download a sample file through it, and print the numbers',
  builder: (y) =>
    y
      .option('size', { type: 'number', default: 16 * 1024 * 1024, describe: 'sample file size in bytes' })
      .option('servers', { type: 'number', default: 5, describe: 'number of storage servers' })
      .option('keep', { type: 'boolean', default: false, describe: 'keep the grid running until Ctrl-C' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .check((a) => {
        if (!Number.isSafeInteger(a.size) || a.size < 0)
          throw new UsageError(`--size must be a byte count, got ${a.size}`);
        if (!Number.isInteger(a.servers) || a.servers < 1 || a.servers > 100) {
          throw new UsageError(`--servers must be from 1 to 100, got ${a.servers}`);
        }
        return true;
      }),
  handler: async (args) => {
    const bar = progressBar();
    const out = (line: string): boolean => process.stdout.write(`${line}\n`);
    if (!args.json)
      out(`Starting an introducer, ${args.servers} storage nodes and a client on 127.0.0.1 ...`);
    const happy = Math.min(5, args.servers);
    const run = await runDemo({
      size: args.size,
      servers: args.servers,
      happy,
      onProgress: bar.onProgress,
      version: `lafs/${lafsVersion()}`,
    });
    bar.done();
    const r = run.report;
    try {
      if (args.json) {
        out(JSON.stringify(r, null, 2));
      } else {
        for (const s of r.servers)
          out(`  ${s.nickname}  shares ${s.shares.join(',').padEnd(8)} ${s.address}`);
        out(
          `Uploaded ${(r.size / 1024 / 1024).toFixed(1)} MiB (k=3, happy=${happy}, N=10; happiness ${r.happiness})`,
        );
        out(`  in ${r.uploadSeconds.toFixed(2)} s (${r.uploadMBps.toFixed(1)} MB/s)`);
        out(`Downloaded in ${r.downloadSeconds.toFixed(2)} s (${r.downloadMBps.toFixed(1)} MB/s)`);
        out(`Verified: ${r.verified ? 'yes, SHA-256 matches' : 'NO: the download differs!'}`);
        out(`Cap: ${r.cap}`);
        out(`Web gateway: ${r.webUrl}  (welcome page; GET ${r.webUrl}uri/<cap> downloads)`);
      }
      if (!r.verified) process.exitCode = 1;
      if (args.keep) {
        if (!args.json) out(`The grid keeps running (web gateway ${r.webUrl}); press Ctrl-C to stop it.`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
      }
    } finally {
      await run.close();
    }
  },
};
