/**
 * Formatting of capabilities to their canonical strings (Tahoe `uri.py` `to_string`).
 *
 * @module
 */
import { base32Encode } from '../../crypto/base32.js';
import type { Cap, FileCap } from './types.js';

function formatFileCap(cap: FileCap, kind: string): string {
  const b = base32Encode;
  switch (cap.kind) {
    case 'LIT':
      return `URI:${kind}:${b(cap.data)}`;
    case 'CHK':
      return `URI:${kind}:${b(cap.key)}:${b(cap.uebHash)}:${cap.needed}:${cap.total}:${cap.size}`;
    case 'CHK-Verifier':
      return `URI:${kind}:${b(cap.storageIndex)}:${b(cap.uebHash)}:${cap.needed}:${cap.total}:${cap.size}`;
    case 'SSK':
    case 'MDMF':
      return `URI:${kind}:${b(cap.writekey)}:${b(cap.fingerprint)}`;
    case 'SSK-RO':
    case 'MDMF-RO':
      return `URI:${kind}:${b(cap.readkey)}:${b(cap.fingerprint)}`;
    case 'SSK-Verifier':
    case 'MDMF-Verifier':
      return `URI:${kind}:${b(cap.storageIndex)}:${b(cap.fingerprint)}`;
  }
}

/** The canonical string of a cap, e.g. `URI:CHK:...:3:10:204800`. */
export function formatCap(cap: Cap): string {
  if ('file' in cap) return formatFileCap(cap.file, cap.kind);
  return formatFileCap(cap, cap.kind);
}
