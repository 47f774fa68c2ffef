/**
 * Mutable slots on disk: Tahoe's slot_testv_and_readv_and_writev (storage/server.py) over the slot container.
 * All test vectors are evaluated, then the read vector, and only if every test passed are the writes applied;
 * `new-length` 0 deletes a share. Write enablers are compared in constant time.
 *
 * @module
 */
import { mkdir, open, rename, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReadTestWriteRequest, ReadTestWriteResult } from './backend.js';
import { listShareFiles, listSharesOfKind } from './bucket-shares.js';
import { BadWriteEnablerError, ShareKindConflictError, WriteOutOfBoundsError } from './errors.js';
import { constantTimeEqual } from './lease-record.js';
import {
  type MutableContainerInfo,
  mutableContainerBytes,
  readMutableData,
  readMutableInfo,
  truncateMutableData,
  writeMutableData,
} from './mutable-container.js';

/** Parameters the slot code needs from the backend. */
export interface SlotContext {
  bucketDir: string;
  /** Temporary directory for building new containers before they are renamed into place. */
  incomingDir: string;
  siText: string;
  nodeId: Uint8Array;
  maxShareSize: number;
}

/**
 * Runs one read-test-write operation. Returns the result and the share numbers that exist afterwards
 * (the caller puts a lease on them when the writes were applied).
 */
export async function readTestWriteSlot(
  ctx: SlotContext,
  request: ReadTestWriteRequest,
): Promise<ReadTestWriteResult & { remaining: number[] }> {
  // Check every bound before touching anything, so a refused request changes nothing.
  for (const vectors of request.testWriteVectors.values()) {
    for (const w of vectors.write) {
      if (w.offset + w.data.length > ctx.maxShareSize)
        throw new WriteOutOfBoundsError(w.offset, w.data.length, ctx.maxShareSize);
    }
    if (vectors.newLength !== null && vectors.newLength > ctx.maxShareSize) {
      throw new WriteOutOfBoundsError(0, vectors.newLength, ctx.maxShareSize);
    }
  }
  const existing = await listSharesOfKind(ctx.bucketDir, 'mutable');
  const occupied = await listShareFiles(ctx.bucketDir);
  for (const shnum of request.testWriteVectors.keys()) {
    if (occupied.includes(shnum) && !existing.includes(shnum))
      throw new ShareKindConflictError(ctx.siText, shnum);
  }
  const handles = new Map<
    number,
    { fh: Awaited<ReturnType<typeof open>>; info: MutableContainerInfo; path: string }
  >();
  try {
    for (const shnum of existing) {
      const path = join(ctx.bucketDir, String(shnum));
      const fh = await open(path, 'r+');
      const info = await readMutableInfo(fh, path).catch(async (error: unknown) => {
        await fh.close();
        throw error;
      });
      handles.set(shnum, { fh, info, path });
      if (!constantTimeEqual(info.writeEnabler, request.writeEnabler))
        throw new BadWriteEnablerError(ctx.siText, shnum);
    }
    let success = true;
    for (const [shnum, vectors] of request.testWriteVectors) {
      const share = handles.get(shnum);
      for (const t of vectors.test) {
        const actual = share
          ? await readMutableData(share.fh, share.info, t.offset, t.size, share.path)
          : new Uint8Array(0);
        if (!Buffer.from(actual).equals(t.specimen)) success = false;
      }
    }
    const data = new Map<number, Uint8Array[]>();
    for (const [shnum, share] of handles) {
      const reads: Uint8Array[] = [];
      for (const r of request.readVector)
        reads.push(await readMutableData(share.fh, share.info, r.offset, r.size, share.path));
      data.set(shnum, reads);
    }
    if (!success) return { success, data, remaining: [] };
    const remaining = new Set(existing);
    for (const [shnum, vectors] of request.testWriteVectors) {
      const path = join(ctx.bucketDir, String(shnum));
      if (vectors.newLength === 0) {
        const share = handles.get(shnum);
        if (share) {
          await share.fh.close();
          handles.delete(shnum);
          await unlink(path);
          remaining.delete(shnum);
        }
        continue;
      }
      let share = handles.get(shnum);
      if (!share) {
        share = await createShare(ctx, shnum, request.writeEnabler);
        handles.set(shnum, share);
        remaining.add(shnum);
      }
      for (const w of vectors.write)
        await writeMutableData(share.fh, share.info, w.offset, w.data, share.path);
      if (vectors.newLength !== null)
        await truncateMutableData(share.fh, share.info, vectors.newLength, share.path);
      await share.fh.sync();
    }
    if (remaining.size === 0) await rmdir(ctx.bucketDir).catch(() => undefined);
    return { success, data, remaining: [...remaining].sort((a, b) => a - b) };
  } finally {
    for (const share of handles.values()) await share.fh.close();
  }
}

async function createShare(ctx: SlotContext, shnum: number, writeEnabler: Uint8Array) {
  // Build the empty container beside, then rename it into place: a crash never leaves a half-written header.
  await mkdir(ctx.incomingDir, { recursive: true });
  await mkdir(ctx.bucketDir, { recursive: true });
  const temp = join(ctx.incomingDir, `mutable-${shnum}`);
  await writeFile(temp, mutableContainerBytes(ctx.nodeId, writeEnabler), { flush: true });
  const path = join(ctx.bucketDir, String(shnum));
  await rename(temp, path);
  await rmdir(ctx.incomingDir).catch(() => undefined);
  const fh = await open(path, 'r+');
  return { fh, info: await readMutableInfo(fh, path), path };
}
