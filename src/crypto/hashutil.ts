/**
 * The purpose-specific hashes of Tahoe-LAFS (`util/hashutil.py`) that lafs uses, one named function each. Changing any of
 * these breaks compatibility with every existing capability and share, so each mirrors Tahoe byte for byte;
 * the tag strings are the protocol constants from that file.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { netstring } from './netstring.js';
import { type IncrementalHash, taggedHash, taggedHasher, taggedPairHash } from './sha256d.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Size of symmetric keys (AES-128) and storage indexes in bytes (Tahoe `KEYLEN`). */
export const KEY_LENGTH = 16;
/** Size of an untruncated SHA-256d hash (Tahoe `CRYPTO_VAL_SIZE`, `HASH_SIZE`). */
export const HASH_LENGTH = 32;

/** The tag strings of `hashutil.py`, by Tahoe's constant names. */
export const TAGS = {
  STORAGE_INDEX: ascii('allmydata_immutable_key_to_storage_index_v1'),
  BLOCK: ascii('allmydata_encoded_subshare_v1'),
  UEB: ascii('allmydata_uri_extension_v1'),
  PLAINTEXT: ascii('allmydata_plaintext_v1'),
  CIPHERTEXT: ascii('allmydata_crypttext_v1'),
  CIPHERTEXT_SEGMENT: ascii('allmydata_crypttext_segment_v1'),
  PLAINTEXT_SEGMENT: ascii('allmydata_plaintext_segment_v1'),
  CONVERGENT_ENCRYPTION: ascii('allmydata_immutable_content_to_key_with_added_secret_v1+'),
  CLIENT_RENEWAL: ascii('allmydata_client_renewal_secret_v1'),
  CLIENT_CANCEL: ascii('allmydata_client_cancel_secret_v1'),
  FILE_RENEWAL: ascii('allmydata_file_renewal_secret_v1'),
  FILE_CANCEL: ascii('allmydata_file_cancel_secret_v1'),
  BUCKET_RENEWAL: ascii('allmydata_bucket_renewal_secret_v1'),
  BUCKET_CANCEL: ascii('allmydata_bucket_cancel_secret_v1'),
  MUTABLE_WRITEKEY: ascii('allmydata_mutable_privkey_to_writekey_v1'),
  MUTABLE_WRITE_ENABLER_MASTER: ascii('allmydata_mutable_writekey_to_write_enabler_master_v1'),
  MUTABLE_WRITE_ENABLER: ascii('allmydata_mutable_write_enabler_master_and_nodeid_to_write_enabler_v1'),
  MUTABLE_PUBKEY: ascii('allmydata_mutable_pubkey_to_fingerprint_v1'),
  MUTABLE_READKEY: ascii('allmydata_mutable_writekey_to_readkey_v1'),
  MUTABLE_DATAKEY: ascii('allmydata_mutable_readkey_to_datakey_v1'),
  MUTABLE_STORAGE_INDEX: ascii('allmydata_mutable_readkey_to_storage_index_v1'),
  DIRNODE_CHILD_WRITECAP: ascii('allmydata_mutable_writekey_and_salt_to_dirnode_child_capkey_v1'),
  DIRNODE_CHILD_SALT: ascii('allmydata_dirnode_child_rwcap_to_salt_v1'),
  BACKUPDB_DIRHASH: ascii('allmydata_backupdb_dirhash_v1'),
  MERKLE_EMPTY_LEAF: ascii('Merkle tree empty leaf'),
  MERKLE_INTERNAL_NODE: ascii('Merkle tree internal node'),
} as const;

function checkLength(value: Uint8Array, length: number, what: string): void {
  if (value.length !== length) throw new RangeError(`${what} must be ${length} bytes, got ${value.length}`);
}

// --- immutable files ---

/** Storage index of an immutable file: the AES key hashed and cut to 16 bytes (`storage_index_hash`). */
export function storageIndexHash(key: Uint8Array): Uint8Array {
  return taggedHash(TAGS.STORAGE_INDEX, key, KEY_LENGTH);
}
/** Hash of one erasure-coded block, a leaf of a share's block hash tree (`block_hash`). */
export function blockHash(block: Uint8Array): Uint8Array {
  return taggedHash(TAGS.BLOCK, block);
}
/** Hash of the serialised URI extension block, carried in CHK caps (`uri_extension_hash`). */
export function uriExtensionHash(ueb: Uint8Array): Uint8Array {
  return taggedHash(TAGS.UEB, ueb);
}
/** Hash of a whole plaintext (`plaintext_hash`; no longer stored in shares). */
export function plaintextHash(data: Uint8Array): Uint8Array {
  return taggedHash(TAGS.PLAINTEXT, data);
}
/** Hash of a plaintext segment (`plaintext_segment_hash`; no longer stored in shares). */
export function plaintextSegmentHash(data: Uint8Array): Uint8Array {
  return taggedHash(TAGS.PLAINTEXT_SEGMENT, data);
}
/** Hash of the whole ciphertext, the UEB's `crypttext_hash` (`crypttext_hash`). */
export function crypttextHash(data: Uint8Array): Uint8Array {
  return taggedHash(TAGS.CIPHERTEXT, data);
}
/** Incremental form of {@link crypttextHash}. */
export function crypttextHasher(): IncrementalHash {
  return taggedHasher(TAGS.CIPHERTEXT);
}
/** Hash of one ciphertext segment (unpadded), a leaf of the crypttext hash tree (`crypttext_segment_hash`). */
export function crypttextSegmentHash(data: Uint8Array): Uint8Array {
  return taggedHash(TAGS.CIPHERTEXT_SEGMENT, data);
}

/** Encoding parameters that enter the convergent key, so different encodings of one file get different keys. */
export interface ConvergenceParams {
  /** Shares needed to reconstruct (1..256). */
  needed: number;
  /** Shares produced (needed..256). */
  total: number;
  /** The file's effective segment size (after shrinking for small files and rounding to a multiple of k). */
  segmentSize: number;
}

/**
 * The tag of the convergent-key hash: `CONVERGENT_ENCRYPTION_TAG || netstring(secret) || netstring("k,n,segsize")`
 * (`_convergence_hasher_tag`). Rejects k > n, k or n < 1 and k or n > 256 as Tahoe does.
 */
export function convergenceHasherTag(params: ConvergenceParams, convergenceSecret: Uint8Array): Uint8Array {
  const { needed: k, total: n, segmentSize } = params;
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 1 || n < 1 || k > 256 || n > 256 || k > n) {
    throw new RangeError(`convergence hash: need 1 <= k <= n <= 256, got k=${k}, n=${n}`);
  }
  if (!Number.isSafeInteger(segmentSize) || segmentSize < 1) {
    throw new RangeError(`convergence hash: segment size must be a positive integer, got ${segmentSize}`);
  }
  const secretPart = netstring(convergenceSecret);
  const paramPart = netstring(ascii(`${k},${n},${segmentSize}`));
  const tag = new Uint8Array(TAGS.CONVERGENT_ENCRYPTION.length + secretPart.length + paramPart.length);
  tag.set(TAGS.CONVERGENT_ENCRYPTION, 0);
  tag.set(secretPart, TAGS.CONVERGENT_ENCRYPTION.length);
  tag.set(paramPart, TAGS.CONVERGENT_ENCRYPTION.length + secretPart.length);
  return tag;
}
/** Incremental hasher producing the 16-byte convergent AES key of a plaintext (`convergence_hasher`). */
export function convergenceHasher(params: ConvergenceParams, convergenceSecret: Uint8Array): IncrementalHash {
  return taggedHasher(convergenceHasherTag(params, convergenceSecret), KEY_LENGTH);
}
/** The convergent AES key of a whole plaintext held in memory (`convergence_hash`). */
export function convergenceHash(
  params: ConvergenceParams,
  data: Uint8Array,
  convergenceSecret: Uint8Array,
): Uint8Array {
  return convergenceHasher(params, convergenceSecret).update(data).digest();
}

// --- lease secrets ---

/** Client lease-renewal secret from the node's private secret (`my_renewal_secret_hash`; tag and data swapped as in Tahoe). */
export function myRenewalSecretHash(mySecret: Uint8Array): Uint8Array {
  return taggedHash(mySecret, TAGS.CLIENT_RENEWAL);
}
/** Client lease-cancel secret (`my_cancel_secret_hash`; tag and data swapped as in Tahoe). */
export function myCancelSecretHash(mySecret: Uint8Array): Uint8Array {
  return taggedHash(mySecret, TAGS.CLIENT_CANCEL);
}
/** Per-file renewal secret (`file_renewal_secret_hash`). */
export function fileRenewalSecretHash(clientRenewalSecret: Uint8Array, storageIndex: Uint8Array): Uint8Array {
  return taggedPairHash(TAGS.FILE_RENEWAL, clientRenewalSecret, storageIndex);
}
/** Per-file cancel secret (`file_cancel_secret_hash`). */
export function fileCancelSecretHash(clientCancelSecret: Uint8Array, storageIndex: Uint8Array): Uint8Array {
  return taggedPairHash(TAGS.FILE_CANCEL, clientCancelSecret, storageIndex);
}
/** Per-server lease renewal secret; `peerId` is the server's 20-byte binary id (`bucket_renewal_secret_hash`). */
export function bucketRenewalSecretHash(fileRenewalSecret: Uint8Array, peerId: Uint8Array): Uint8Array {
  checkLength(peerId, 20, 'peer id');
  return taggedPairHash(TAGS.BUCKET_RENEWAL, fileRenewalSecret, peerId);
}
/** Per-server lease cancel secret (`bucket_cancel_secret_hash`). */
export function bucketCancelSecretHash(fileCancelSecret: Uint8Array, peerId: Uint8Array): Uint8Array {
  checkLength(peerId, 20, 'peer id');
  return taggedPairHash(TAGS.BUCKET_CANCEL, fileCancelSecret, peerId);
}

// --- mutable files ---

/** SSK write key: the PKCS#8 DER private key hashed to 16 bytes (`ssk_writekey_hash`). */
export function sskWritekeyHash(privateKeyDer: Uint8Array): Uint8Array {
  return taggedHash(TAGS.MUTABLE_WRITEKEY, privateKeyDer, KEY_LENGTH);
}
/** Write-enabler master secret from the write key (`ssk_write_enabler_master_hash`). */
export function sskWriteEnablerMasterHash(writekey: Uint8Array): Uint8Array {
  return taggedHash(TAGS.MUTABLE_WRITE_ENABLER_MASTER, writekey);
}
/** The write enabler sent to one server (20-byte binary `peerId`) (`ssk_write_enabler_hash`). */
export function sskWriteEnablerHash(writekey: Uint8Array, peerId: Uint8Array): Uint8Array {
  checkLength(peerId, 20, 'peer id');
  return taggedPairHash(TAGS.MUTABLE_WRITE_ENABLER, sskWriteEnablerMasterHash(writekey), peerId);
}
/** Fingerprint of the DER SubjectPublicKeyInfo public key (`ssk_pubkey_fingerprint_hash`). */
export function sskPubkeyFingerprintHash(publicKeyDer: Uint8Array): Uint8Array {
  return taggedHash(TAGS.MUTABLE_PUBKEY, publicKeyDer);
}
/** SSK read key from the write key (`ssk_readkey_hash`). */
export function sskReadkeyHash(writekey: Uint8Array): Uint8Array {
  return taggedHash(TAGS.MUTABLE_READKEY, writekey, KEY_LENGTH);
}
/** Per-version data key from a salt/IV and the read key (`ssk_readkey_data_hash`). */
export function sskReadkeyDataHash(iv: Uint8Array, readkey: Uint8Array): Uint8Array {
  return taggedPairHash(TAGS.MUTABLE_DATAKEY, iv, readkey, KEY_LENGTH);
}
/** SSK storage index from the read key (`ssk_storage_index_hash`). */
export function sskStorageIndexHash(readkey: Uint8Array): Uint8Array {
  return taggedHash(TAGS.MUTABLE_STORAGE_INDEX, readkey, KEY_LENGTH);
}

// --- directories and misc ---

/** Key that encrypts a child's write cap inside a dirnode (`mutable_rwcap_key_hash`). */
export function mutableRwcapKeyHash(iv: Uint8Array, writekey: Uint8Array): Uint8Array {
  return taggedPairHash(TAGS.DIRNODE_CHILD_WRITECAP, iv, writekey, KEY_LENGTH);
}
/** Server permutation for share placement: `SHA1(storageIndex || permutationSeed)` (`permute_server_hash`). */
export function permuteServerHash(
  peerSelectionIndex: Uint8Array,
  serverPermutationSeed: Uint8Array,
): Uint8Array {
  return new Uint8Array(createHash('sha1').update(peerSelectionIndex).update(serverPermutationSeed).digest());
}
/**
 * Tahoe's own keyed hash (`hashutil.hmac`, used for dirnode entry MACs): SHA-256 of `(key ^ 0x5c) ||
 * SHA-256((key ^ 0x36) || data)` where the key is NOT padded to the block size, so it differs from RFC 2104
 * HMAC for keys shorter than 64 bytes.
 */
export function tahoeHmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const ikey = key.map((b) => b ^ 0x36);
  const okey = key.map((b) => b ^ 0x5c);
  const inner = createHash('sha256').update(ikey).update(data).digest();
  return new Uint8Array(createHash('sha256').update(okey).update(inner).digest());
}

// --- Merkle trees ---

/** Hash of padding leaf `i` in a Merkle tree (`hashtree.empty_leaf_hash`). */
export function emptyLeafHash(i: number): Uint8Array {
  return taggedHash(TAGS.MERKLE_EMPTY_LEAF, ascii(String(i)));
}
/** Hash of an internal Merkle node from its children (`hashtree.pair_hash`). */
export function merklePairHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return taggedPairHash(TAGS.MERKLE_INTERNAL_NODE, left, right);
}
