/**
 * `lafs debug dump-share FILE`: shows an immutable share file's container, header, share hashes and URI
 * extension block, like Tahoe's `tahoe debug dump-share`. When the file sits at `.../<storage index>/<shnum>`
 * (a server's share directory) the verify cap is shown too.
 *
 * @module
 */
import { basename, dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { base32Decode } from '../../../crypto/base32.js';
import { LafsError } from '../../../errors.js';
import { formatCap } from '../../../storage/caps/format.js';
import { inspectImmutableShare, type ShareInspection } from '../../../storage/chk/inspect.js';
import { readFileAtMost } from '../../../util/read-file-at-most.js';

interface Args {
  file: string;
  json: boolean;
}

/** Share files larger than this are refused before they are read (the UEB is at the end, so no prefix would do). */
const MAX_SHARE_FILE = 1024 * 1024 * 1024;

function verifyCapFor(path: string, info: ShareInspection): string | undefined {
  const si = basename(dirname(path));
  if (!/^[a-z2-7]{26}$/.test(si) || !/^[0-9]+$/.test(basename(path))) return undefined;
  const u = info.uriExtension;
  const k = u.needed_shares;
  const n = u.total_shares;
  const size = u.size;
  if (typeof k !== 'number' || typeof n !== 'number' || typeof size !== 'number' || !info.uebComplete)
    return undefined;
  try {
    return formatCap({
      kind: 'CHK-Verifier',
      storageIndex: base32Decode(si),
      uebHash: base32Decode(info.uebHash),
      needed: k,
      total: n,
      size,
    });
  } catch {
    return undefined;
  }
}

/** `lafs debug dump-share`. */
export const dumpShareCommand: CommandModule<object, Args> = {
  command: 'dump-share <file>',
  describe: 'Show the layout, hashes and URI extension block of an immutable share file',
  builder: (y) =>
    y
      .positional('file', {
        type: 'string',
        demandOption: true,
        describe: 'a share file (container or bare share)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: async (args) => {
    let info: ShareInspection;
    try {
      info = inspectImmutableShare(await readFileAtMost(args.file, MAX_SHARE_FILE));
    } catch (error) {
      if (
        !(error instanceof LafsError) &&
        !(error instanceof RangeError) &&
        !(error instanceof Error && 'code' in error)
      ) {
        throw error;
      }
      process.stderr.write(`lafs: ${args.file}: ${error.message}\n`);
      process.exitCode = 1;
      return;
    }
    const verifyCap = verifyCapFor(args.file, info);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...info, ...(verifyCap ? { verifyCap } : {}) }, null, 2)}\n`);
      return;
    }
    const h = info.header;
    const lines = [
      `immutable share file${info.form === 'container' ? ` (container v${info.containerVersion})` : ' (bare share data)'}`,
      ` share layout version: ${h.version}`,
      ` block size: ${h.blockSize}`,
      ` share data size: ${h.dataSize}`,
      ` offsets: ${Object.entries(h.offsets)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
      '',
      ' URI extension block:',
      ...Object.entries(info.uriExtension).map(([k, v]) => `  ${k}: ${v}`),
      `  UEB hash: ${info.uebHash}`,
      '',
      ` share hashes: ${info.shareHashes.map((s) => s.node).join(', ')}`,
    ];
    if (info.leases) {
      lines.push(` leases: ${info.leases.length}`);
      for (const lease of info.leases) {
        lines.push(
          `  owner ${lease.ownerNumber}, expires ${new Date(lease.expirationTime * 1000).toISOString()}`,
        );
      }
    }
    if (verifyCap) lines.push('', ` verify cap: ${verifyCap}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
