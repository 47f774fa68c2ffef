/**
 * Helpers for hash-tree tests: distinct leaf hashes and independent reimplementations of Tahoe's node hashes
 * (computed here with raw SHA-256 so that the tree code is checked against a second implementation).
 *
 * @module
 */
import { createHash } from 'node:crypto';

function sha256d(...parts: (Uint8Array | string)[]): Uint8Array {
  const inner = createHash('sha256');
  for (const p of parts) inner.update(p);
  return new Uint8Array(createHash('sha256').update(inner.digest()).digest());
}
const ns = (b: Uint8Array | string): Buffer => {
  const buf = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b);
  return Buffer.concat([Buffer.from(`${buf.length}:`), buf, Buffer.from(',')]);
};

/** A distinct 32-byte leaf for index i. */
export function taggedHashLeaf(i: number): Uint8Array {
  return sha256d(`leaf ${i}`);
}
/** SHA256d(netstring("Merkle tree empty leaf") || decimal(i)). */
export function emptyLeafHash(i: number): Uint8Array {
  return sha256d(ns('Merkle tree empty leaf'), String(i));
}
/** SHA256d(netstring("Merkle tree internal node") || netstring(a) || netstring(b)). */
export function merklePairHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return sha256d(ns('Merkle tree internal node'), ns(a), ns(b));
}
