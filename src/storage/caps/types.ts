/**
 * Every Tahoe-LAFS capability as a discriminated union on `kind` (Tahoe `uri.py`; spec
 * `docs/specifications/uri.rst`). The `kind` is the cap's prefix without `URI:`.
 *
 * @module
 */

/** `URI:LIT:<base32 data>`: a file of at most 55 bytes carried inside the cap itself. */
export interface LiteralCap {
  kind: 'LIT';
  data: Uint8Array;
}
/** `URI:CHK:<key>:<UEB hash>:<k>:<N>:<size>`: read cap of an immutable file. */
export interface ChkCap {
  kind: 'CHK';
  /** 16-byte AES key. */
  key: Uint8Array;
  /** 32-byte hash of the URI extension block. */
  uebHash: Uint8Array;
  needed: number;
  total: number;
  size: number;
}
/** `URI:CHK-Verifier:<storage index>:<UEB hash>:<k>:<N>:<size>`: checks an immutable file without reading it. */
export interface ChkVerifierCap {
  kind: 'CHK-Verifier';
  storageIndex: Uint8Array;
  uebHash: Uint8Array;
  needed: number;
  total: number;
  size: number;
}
/** Fields common to the mutable caps. */
interface MutableFields {
  /** 32-byte fingerprint of the RSA public key. */
  fingerprint: Uint8Array;
}
/** `URI:SSK:<writekey>:<fingerprint>`: SDMF write cap. */
export interface SskWriteCap extends MutableFields {
  kind: 'SSK';
  writekey: Uint8Array;
}
/** `URI:SSK-RO:<readkey>:<fingerprint>`: SDMF read cap. */
export interface SskReadCap extends MutableFields {
  kind: 'SSK-RO';
  readkey: Uint8Array;
}
/** `URI:SSK-Verifier:<storage index>:<fingerprint>`. */
export interface SskVerifierCap extends MutableFields {
  kind: 'SSK-Verifier';
  storageIndex: Uint8Array;
}
/** `URI:MDMF:<writekey>:<fingerprint>`: MDMF write cap. */
export interface MdmfWriteCap extends MutableFields {
  kind: 'MDMF';
  writekey: Uint8Array;
}
/** `URI:MDMF-RO:<readkey>:<fingerprint>`. */
export interface MdmfReadCap extends MutableFields {
  kind: 'MDMF-RO';
  readkey: Uint8Array;
}
/** `URI:MDMF-Verifier:<storage index>:<fingerprint>`. */
export interface MdmfVerifierCap extends MutableFields {
  kind: 'MDMF-Verifier';
  storageIndex: Uint8Array;
}

/** A file cap (no directory wrapper). */
export type FileCap =
  | LiteralCap
  | ChkCap
  | ChkVerifierCap
  | SskWriteCap
  | SskReadCap
  | SskVerifierCap
  | MdmfWriteCap
  | MdmfReadCap
  | MdmfVerifierCap;

/** A directory cap: the same fields as the file cap holding the directory's contents, under another prefix. */
export type DirectoryCap =
  | { kind: 'DIR2'; file: SskWriteCap }
  | { kind: 'DIR2-RO'; file: SskReadCap }
  | { kind: 'DIR2-Verifier'; file: SskVerifierCap }
  | { kind: 'DIR2-CHK'; file: ChkCap }
  | { kind: 'DIR2-CHK-Verifier'; file: ChkVerifierCap }
  | { kind: 'DIR2-LIT'; file: LiteralCap }
  | { kind: 'DIR2-MDMF'; file: MdmfWriteCap }
  | { kind: 'DIR2-MDMF-RO'; file: MdmfReadCap }
  | { kind: 'DIR2-MDMF-Verifier'; file: MdmfVerifierCap };

/** Any Tahoe-LAFS capability. */
export type Cap = FileCap | DirectoryCap;

/** The `kind` of any cap. */
export type CapKind = Cap['kind'];

/** Which file-cap kind each directory kind wraps. */
export const DIRECTORY_INNER_KIND = {
  DIR2: 'SSK',
  'DIR2-RO': 'SSK-RO',
  'DIR2-Verifier': 'SSK-Verifier',
  'DIR2-CHK': 'CHK',
  'DIR2-CHK-Verifier': 'CHK-Verifier',
  'DIR2-LIT': 'LIT',
  'DIR2-MDMF': 'MDMF',
  'DIR2-MDMF-RO': 'MDMF-RO',
  'DIR2-MDMF-Verifier': 'MDMF-Verifier',
} as const satisfies Record<DirectoryCap['kind'], FileCap['kind']>;

/** True for the directory kinds (`DIR2*`). */
export function isDirectoryCap(cap: Cap): cap is DirectoryCap {
  return cap.kind.startsWith('DIR2');
}
