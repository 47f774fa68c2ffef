/**
 * `lafs debug dump-cap CAP`: shows what a capability contains and what follows from it (read-only and verify
 * caps, storage index), like Tahoe's `tahoe debug dump-cap`. Exits 1 with the field and position of a
 * malformed cap. Note that the output contains the cap's secrets.
 *
 * @module
 */
import type { CommandModule } from 'yargs';
import { base32Encode } from '../../../crypto/base32.js';
import { storageIndexHash } from '../../../crypto/hashutil.js';
import {
  capStorageIndex,
  formatCap,
  MalformedCapError,
  parseCap,
  toReadOnlyCap,
  toVerifierCap,
} from '../../../storage/caps/index.js';

interface Args {
  cap: string;
  json: boolean;
}

function describeFields(value: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'kind' || key === 'file') continue;
    out[key] = v instanceof Uint8Array ? base32Encode(v) : (v as string | number);
  }
  return out;
}

/** The structured description printed by `dump-cap` (exported for tests and `--json`). */
export function describeCap(text: string): Record<string, unknown> {
  const cap = parseCap(text);
  const file = 'file' in cap ? cap.file : cap;
  const si = capStorageIndex(cap);
  const readOnly = toReadOnlyCap(cap);
  const verifier = toVerifierCap(cap);
  const out: Record<string, unknown> = {
    kind: cap.kind,
    ...('file' in cap ? { fileKind: file.kind } : {}),
    fields: describeFields(file),
  };
  if (file.kind === 'LIT') out.dataLength = file.data.length;
  if (si) out.storageIndex = base32Encode(si);
  if (file.kind === 'CHK') out.storageIndexFromKey = base32Encode(storageIndexHash(file.key));
  if (formatCap(readOnly) !== text) out.readOnlyCap = formatCap(readOnly);
  if (verifier) out.verifyCap = formatCap(verifier);
  return out;
}

/** `lafs debug dump-cap`. */
export const dumpCapCommand: CommandModule<object, Args> = {
  command: 'dump-cap <cap>',
  describe: 'Show the fields of a capability and the caps and storage index derived from it',
  builder: (y) =>
    y
      .positional('cap', { type: 'string', demandOption: true, describe: 'the capability (URI:...)' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: (args) => {
    let description: Record<string, unknown>;
    try {
      description = describeCap(args.cap);
    } catch (error) {
      if (!(error instanceof MalformedCapError)) throw error;
      if (args.json) {
        const { code, field, position, message } = error;
        process.stdout.write(`${JSON.stringify({ error: { code, field, position, message } }, null, 2)}\n`);
      } else {
        process.stderr.write(`lafs: ${error.message}\n`);
      }
      process.exitCode = 1;
      return;
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(description, null, 2)}\n`);
      return;
    }
    const lines = [`${description.kind} cap:`];
    if (description.fileKind) lines.push(` wraps: ${String(description.fileKind)}`);
    for (const [k, v] of Object.entries(description.fields as Record<string, unknown>))
      lines.push(` ${k}: ${String(v)}`);
    for (const key of ['dataLength', 'storageIndex', 'readOnlyCap', 'verifyCap']) {
      if (description[key] !== undefined) lines.push(` ${key}: ${String(description[key])}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
