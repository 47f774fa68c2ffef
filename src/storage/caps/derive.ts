/**
 * Attenuation of capabilities: write → read-only → verify, and the storage index each cap names (Tahoe
 * `uri.py` `get_readonly`, `get_verify_cap`, `get_storage_index`; spec `docs/specifications/uri.rst`).
 *
 * @module
 */
import { sskReadkeyHash, sskStorageIndexHash, storageIndexHash } from '../../crypto/hashutil.js';
import type { Cap, DirectoryCap, FileCap } from './types.js';

function fileReadOnly(cap: FileCap): FileCap {
  switch (cap.kind) {
    case 'SSK':
      return { kind: 'SSK-RO', readkey: sskReadkeyHash(cap.writekey), fingerprint: cap.fingerprint };
    case 'MDMF':
      return { kind: 'MDMF-RO', readkey: sskReadkeyHash(cap.writekey), fingerprint: cap.fingerprint };
    default:
      return cap;
  }
}

function fileVerifier(cap: FileCap): FileCap | undefined {
  switch (cap.kind) {
    case 'LIT':
      return undefined;
    case 'CHK':
      return {
        kind: 'CHK-Verifier',
        storageIndex: storageIndexHash(cap.key),
        uebHash: cap.uebHash,
        needed: cap.needed,
        total: cap.total,
        size: cap.size,
      };
    case 'SSK':
    case 'SSK-RO': {
      const readkey = cap.kind === 'SSK' ? sskReadkeyHash(cap.writekey) : cap.readkey;
      return {
        kind: 'SSK-Verifier',
        storageIndex: sskStorageIndexHash(readkey),
        fingerprint: cap.fingerprint,
      };
    }
    case 'MDMF':
    case 'MDMF-RO': {
      const readkey = cap.kind === 'MDMF' ? sskReadkeyHash(cap.writekey) : cap.readkey;
      return {
        kind: 'MDMF-Verifier',
        storageIndex: sskStorageIndexHash(readkey),
        fingerprint: cap.fingerprint,
      };
    }
    default:
      return cap;
  }
}

/** The read-only form of a cap (itself when already read-only, immutable or a verifier). */
export function toReadOnlyCap(cap: Cap): Cap {
  switch (cap.kind) {
    case 'DIR2':
      return { kind: 'DIR2-RO', file: fileReadOnly(cap.file) as Extract<FileCap, { kind: 'SSK-RO' }> };
    case 'DIR2-MDMF':
      return { kind: 'DIR2-MDMF-RO', file: fileReadOnly(cap.file) as Extract<FileCap, { kind: 'MDMF-RO' }> };
    default:
      return 'file' in cap ? cap : fileReadOnly(cap);
  }
}

/** The verify cap (checks and repairs without reading), or `undefined` for literal caps, which have none. */
export function toVerifierCap(cap: Cap): Cap | undefined {
  if (!('file' in cap)) return fileVerifier(cap);
  const inner = fileVerifier(cap.file);
  if (inner === undefined) return undefined;
  switch (inner.kind) {
    case 'SSK-Verifier':
      return { kind: 'DIR2-Verifier', file: inner };
    case 'CHK-Verifier':
      return { kind: 'DIR2-CHK-Verifier', file: inner };
    case 'MDMF-Verifier':
      return { kind: 'DIR2-MDMF-Verifier', file: inner };
    default:
      throw new Error(`bug: no directory verifier for ${inner.kind}`);
  }
}

/** The 16-byte storage index the cap's shares are stored under, or `undefined` for literal caps. */
export function capStorageIndex(cap: Cap): Uint8Array | undefined {
  const v = toVerifierCap(cap);
  if (v === undefined) return undefined;
  const file = 'file' in v ? v.file : v;
  return 'storageIndex' in file ? file.storageIndex : undefined;
}

/** True when the cap grants write access (SSK, MDMF, DIR2, DIR2-MDMF). */
export function isWriteCap(cap: Cap): boolean {
  return cap.kind === 'SSK' || cap.kind === 'MDMF' || cap.kind === 'DIR2' || cap.kind === 'DIR2-MDMF';
}

/** True when the cap names mutable data (SSK/MDMF family and mutable directories, verifiers included). */
export function isMutableCap(cap: Cap): boolean {
  const file = 'file' in cap ? cap.file : cap;
  return file.kind.startsWith('SSK') || file.kind.startsWith('MDMF');
}

/** True for verify caps. */
export function isVerifierCap(cap: Cap): boolean {
  return cap.kind.endsWith('-Verifier');
}

/** The file cap a directory cap wraps, or the cap itself. */
export function fileCapOf(cap: Cap): FileCap {
  return 'file' in cap ? cap.file : cap;
}

/** Wraps a file cap as the directory cap of the same access (Tahoe `wrap_dirnode_cap`). */
export function wrapAsDirectoryCap(cap: FileCap): DirectoryCap {
  switch (cap.kind) {
    case 'SSK':
      return { kind: 'DIR2', file: cap };
    case 'SSK-RO':
      return { kind: 'DIR2-RO', file: cap };
    case 'SSK-Verifier':
      return { kind: 'DIR2-Verifier', file: cap };
    case 'CHK':
      return { kind: 'DIR2-CHK', file: cap };
    case 'CHK-Verifier':
      return { kind: 'DIR2-CHK-Verifier', file: cap };
    case 'LIT':
      return { kind: 'DIR2-LIT', file: cap };
    case 'MDMF':
      return { kind: 'DIR2-MDMF', file: cap };
    case 'MDMF-RO':
      return { kind: 'DIR2-MDMF-RO', file: cap };
    case 'MDMF-Verifier':
      return { kind: 'DIR2-MDMF-Verifier', file: cap };
  }
}
