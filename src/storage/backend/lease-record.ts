/**
 * Lease records as stored inside Tahoe share containers (storage/lease.py, lease_schema.py).
 *
 * Immutable record, 72 bytes: `>L32s32sL` = owner number, renew secret, cancel secret, expiration time.
 * Mutable record, 92 bytes: `>LL32s32s20s` = owner number, expiration time, renew secret, cancel secret, node id.
 * In container schema version 2 (what Tahoe writes today) the secrets are stored as BLAKE2b-256 of the
 * cleartext secret, so a leaked container does not leak usable secrets; version 1 stored them in cleartext.
 *
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { blake2b } from '@noble/hashes/blake2.js';

/** Size of a lease record in an immutable container. */
export const IMMUTABLE_LEASE_SIZE = 72;
/** Size of a lease record in a mutable container. */
export const MUTABLE_LEASE_SIZE = 92;
/** Seconds a new or renewed lease lasts: 31 days, hard-coded as in Tahoe (DEFAULT_RENEWAL_TIME). */
export const LEASE_DURATION_SECONDS = 31 * 24 * 60 * 60;

/** One lease as read from or written to a container. Secrets are as stored (hashed in schema v2). */
export interface LeaseRecord {
  /** Owner number; 0 in a mutable container's slot means "no lease here". */
  ownerNumber: number;
  /** Stored renew secret (32 bytes). */
  renewSecret: Uint8Array;
  /** Stored cancel secret (32 bytes). */
  cancelSecret: Uint8Array;
  /** Expiration, seconds since the epoch. */
  expirationTime: number;
  /** Mutable leases only: the 20-byte id of the node that accepted the lease. */
  nodeId?: Uint8Array;
}

/** Hashes a cleartext lease secret the way schema-v2 containers store it: BLAKE2b with a 32-byte digest. */
export function hashLeaseSecret(secret: Uint8Array): Uint8Array {
  return blake2b(secret, { dkLen: 32 });
}

/** The stored form of a secret for a container of `schemaVersion`. */
export function storedSecret(secret: Uint8Array, schemaVersion: number): Uint8Array {
  return schemaVersion >= 2 ? hashLeaseSecret(secret) : secret;
}

/** Constant-time equality of two byte strings (false, not an exception, when the lengths differ). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  return timingSafeEqual(a, b);
}

/** Encodes an immutable lease record (72 bytes). */
export function encodeImmutableLease(lease: LeaseRecord): Uint8Array {
  const out = new Uint8Array(IMMUTABLE_LEASE_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, lease.ownerNumber);
  out.set(lease.renewSecret, 4);
  out.set(lease.cancelSecret, 36);
  view.setUint32(68, Math.floor(lease.expirationTime) >>> 0);
  return out;
}

/** Decodes an immutable lease record; `bytes` must be 72 bytes long. */
export function decodeImmutableLease(bytes: Uint8Array): LeaseRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ownerNumber: view.getUint32(0),
    renewSecret: bytes.slice(4, 36),
    cancelSecret: bytes.slice(36, 68),
    expirationTime: view.getUint32(68),
  };
}

/** Encodes a mutable lease record (92 bytes). */
export function encodeMutableLease(lease: LeaseRecord): Uint8Array {
  const out = new Uint8Array(MUTABLE_LEASE_SIZE);
  const view = new DataView(out.buffer);
  view.setUint32(0, lease.ownerNumber);
  view.setUint32(4, Math.floor(lease.expirationTime) >>> 0);
  out.set(lease.renewSecret, 8);
  out.set(lease.cancelSecret, 40);
  out.set(lease.nodeId ?? new Uint8Array(20), 72);
  return out;
}

/** Decodes a mutable lease record; `bytes` must be 92 bytes long. */
export function decodeMutableLease(bytes: Uint8Array): LeaseRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    ownerNumber: view.getUint32(0),
    expirationTime: view.getUint32(4),
    renewSecret: bytes.slice(8, 40),
    cancelSecret: bytes.slice(40, 72),
    nodeId: bytes.slice(72, 92),
  };
}
