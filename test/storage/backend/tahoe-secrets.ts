/**
 * Test-only re-derivation of the secrets a Tahoe client sends (util/hashutil.py), so the lease records and
 * write enablers inside the real Tahoe fixture containers can be checked and reproduced byte for byte.
 *
 * @module
 */
import { createHash } from 'node:crypto';

function sha256d(...parts: Uint8Array[]): Uint8Array {
  const inner = createHash('sha256');
  for (const p of parts) inner.update(p);
  return new Uint8Array(createHash('sha256').update(inner.digest()).digest());
}

function netstring(bytes: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from(`${bytes.length}:`), bytes, Buffer.from(',')]);
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** tagged_hash(tag, value). */
export function taggedHash(tag: Uint8Array, value: Uint8Array): Uint8Array {
  return sha256d(netstring(tag), value);
}

/** tagged_pair_hash(tag, a, b). */
export function taggedPairHash(tag: Uint8Array, a: Uint8Array, b: Uint8Array): Uint8Array {
  return sha256d(netstring(tag), netstring(a), netstring(b));
}

/** The renew and cancel secrets a Tahoe client presents to the server with lease seed `serverId`. */
export function bucketLeaseSecrets(
  clientLeaseSecret: Uint8Array,
  storageIndex: Uint8Array,
  serverId: Uint8Array,
): { renew: Uint8Array; cancel: Uint8Array } {
  const clientRenew = taggedHash(clientLeaseSecret, ascii('allmydata_client_renewal_secret_v1'));
  const clientCancel = taggedHash(clientLeaseSecret, ascii('allmydata_client_cancel_secret_v1'));
  const fileRenew = taggedPairHash(ascii('allmydata_file_renewal_secret_v1'), clientRenew, storageIndex);
  const fileCancel = taggedPairHash(ascii('allmydata_file_cancel_secret_v1'), clientCancel, storageIndex);
  return {
    renew: taggedPairHash(ascii('allmydata_bucket_renewal_secret_v1'), fileRenew, serverId),
    cancel: taggedPairHash(ascii('allmydata_bucket_cancel_secret_v1'), fileCancel, serverId),
  };
}

/** The write enabler for a mutable file's write key on the server with id `serverId`. */
export function writeEnabler(writeKey: Uint8Array, serverId: Uint8Array): Uint8Array {
  const master = taggedHash(ascii('allmydata_mutable_writekey_to_write_enabler_master_v1'), writeKey);
  return taggedPairHash(
    ascii('allmydata_mutable_write_enabler_master_and_nodeid_to_write_enabler_v1'),
    master,
    serverId,
  );
}
