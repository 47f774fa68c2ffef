/**
 * Corruption advisories as Tahoe's storage server records them (storage/server.py `advise_corrupt_share`):
 * one text file per report in `<storageDir>/corruption-advisories/<UTC time without colons>--<si>-<shnum>`,
 * for the server's administrator to read.
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShareKind } from './backend.js';

/** Tahoe's report text. */
export function renderCorruptionReport(
  kind: ShareKind,
  siText: string,
  shnum: number,
  reason: string,
): string {
  return `report: Share Corruption\ntype: ${kind}\nstorage_index: ${siText}\nshare_number: ${shnum}\n\n${reason}\n\n`;
}

/** Writes one report; `nowSeconds` names the file. Returns the path written. */
export async function writeCorruptionReport(
  storageDir: string,
  report: string,
  siText: string,
  shnum: number,
  nowSeconds: number,
): Promise<string> {
  const dir = join(storageDir, 'corruption-advisories');
  await mkdir(dir, { recursive: true });
  const stamp = new Date(nowSeconds * 1000)
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(':', '');
  const path = join(dir, `${stamp}--${siText}-${shnum}`);
  await writeFile(path, report, 'utf8');
  return path;
}
