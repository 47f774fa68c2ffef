/**
 * Lease operations on one share container file of either kind, shared by the backend (lease add/renew on
 * request) and the lease crawler (expiry). Renewal follows Tahoe (storage/immutable.py, mutable.py): a lease
 * whose stored renew secret matches is extended (never shortened); otherwise a new lease is added.
 *
 * @module
 */
import { type FileHandle, open } from 'node:fs/promises';
import { CorruptContainerError } from './errors.js';
import {
  isImmutableHeader,
  readImmutableInfo,
  readImmutableLeases,
  writeImmutableLeases,
} from './immutable-container.js';
import { constantTimeEqual, type LeaseRecord, storedSecret } from './lease-record.js';
import {
  mutableSchemaVersion,
  readMutableInfo,
  readMutableLeaseSlots,
  writeMutableLeaseSlot,
} from './mutable-container.js';

/** The kind of container a file holds. */
export type ContainerKind = 'immutable' | 'mutable';

/** Reads the first bytes of an open file and says which container it is. */
export async function detectContainerKind(fh: FileHandle, path: string): Promise<ContainerKind> {
  const header = new Uint8Array(32);
  const { bytesRead } = await fh.read(header, 0, 32, 0);
  const head = header.subarray(0, bytesRead);
  if (mutableSchemaVersion(head) !== undefined) return 'mutable';
  if (isImmutableHeader(head)) return 'immutable';
  throw new CorruptContainerError(path, 'neither an immutable nor a mutable share container');
}

/** The leases of a share file (stored form: hashed secrets in v2 containers). */
export async function readLeases(path: string): Promise<{ kind: ContainerKind; leases: LeaseRecord[] }> {
  const fh = await open(path, 'r');
  try {
    const kind = await detectContainerKind(fh, path);
    if (kind === 'immutable') {
      return { kind, leases: await readImmutableLeases(fh, await readImmutableInfo(fh, path), path) };
    }
    const slots = await readMutableLeaseSlots(fh, await readMutableInfo(fh, path), path);
    return { kind, leases: slots.filter((l): l is LeaseRecord => l !== undefined) };
  } finally {
    await fh.close();
  }
}

/** A lease to put on a share, with cleartext secrets (hashed here according to the container's version). */
export interface NewLease {
  ownerNumber: number;
  renewSecret: Uint8Array;
  cancelSecret: Uint8Array;
  expirationTime: number;
  nodeId: Uint8Array;
}

/** Renews the lease matching `lease.renewSecret` (only ever extending it) or adds `lease`. */
export async function addOrRenewLease(path: string, lease: NewLease): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    const kind = await detectContainerKind(fh, path);
    if (kind === 'immutable') {
      const info = await readImmutableInfo(fh, path);
      const leases = await readImmutableLeases(fh, info, path);
      const renew = storedSecret(lease.renewSecret, info.schemaVersion);
      const match = leases.find((l) => constantTimeEqual(l.renewSecret, renew));
      if (match) {
        if (lease.expirationTime <= match.expirationTime) return;
        match.expirationTime = lease.expirationTime;
      } else {
        leases.push({
          ownerNumber: lease.ownerNumber,
          renewSecret: renew,
          cancelSecret: storedSecret(lease.cancelSecret, info.schemaVersion),
          expirationTime: lease.expirationTime,
        });
      }
      await writeImmutableLeases(fh, info.leaseOffset, leases, path);
      return;
    }
    const info = await readMutableInfo(fh, path);
    const slots = await readMutableLeaseSlots(fh, info, path);
    const renew = storedSecret(lease.renewSecret, info.schemaVersion);
    const index = slots.findIndex((l) => l !== undefined && constantTimeEqual(l.renewSecret, renew));
    const existing = index >= 0 ? slots[index] : undefined;
    if (existing) {
      if (lease.expirationTime <= existing.expirationTime) return;
      await writeMutableLeaseSlot(
        fh,
        info,
        index,
        { ...existing, expirationTime: lease.expirationTime },
        path,
      );
      return;
    }
    const empty = slots.indexOf(undefined);
    await writeMutableLeaseSlot(
      fh,
      info,
      empty >= 0 ? empty : slots.length,
      {
        ownerNumber: lease.ownerNumber,
        renewSecret: renew,
        cancelSecret: storedSecret(lease.cancelSecret, info.schemaVersion),
        expirationTime: lease.expirationTime,
        nodeId: lease.nodeId,
      },
      path,
    );
  } finally {
    await fh.close();
  }
}

/**
 * Keeps only the leases for which `keep` is true (the crawler's expiry). Returns how many remain.
 * Mutable slots are blanked in place (owner 0), as Tahoe's cancel_lease does.
 */
export async function filterLeases(path: string, keep: (lease: LeaseRecord) => boolean): Promise<number> {
  const fh = await open(path, 'r+');
  try {
    const kind = await detectContainerKind(fh, path);
    if (kind === 'immutable') {
      const info = await readImmutableInfo(fh, path);
      const leases = await readImmutableLeases(fh, info, path);
      const kept = leases.filter(keep);
      if (kept.length !== leases.length) await writeImmutableLeases(fh, info.leaseOffset, kept, path);
      return kept.length;
    }
    const info = await readMutableInfo(fh, path);
    const slots = await readMutableLeaseSlots(fh, info, path);
    let remaining = 0;
    for (const [i, lease] of slots.entries()) {
      if (lease === undefined) continue;
      if (keep(lease)) {
        remaining++;
        continue;
      }
      await writeMutableLeaseSlot(
        fh,
        info,
        i,
        {
          ownerNumber: 0,
          renewSecret: new Uint8Array(32),
          cancelSecret: new Uint8Array(32),
          expirationTime: 0,
          nodeId: new Uint8Array(20),
        },
        path,
      );
    }
    return remaining;
  } finally {
    await fh.close();
  }
}
