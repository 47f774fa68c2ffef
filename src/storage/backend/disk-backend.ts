/**
 * The on-disk storage backend: Tahoe's storage directory layout and container formats (storage/server.py,
 * immutable.py, mutable.py), so a Tahoe storage directory can be served by lafs and vice versa.
 *
 * Immutable uploads are written to `shares/incoming/<prefix>/<si>/<shnum>` (a full container with its lease
 * from the start, as Tahoe) and renamed into `shares/<prefix>/<si>/<shnum>` only when every byte has arrived,
 * so an interrupted upload is never listed; `incoming/` is emptied at start-up.
 *
 * @module
 */
import { mkdir, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AllocateRequest,
  AllocateResult,
  ReadTestWriteRequest,
  ReadTestWriteResult,
  ShareKind,
  ShareReader,
  StorageBackend,
  StorageVersion,
  WriteResult,
} from './backend.js';
import { listShareFiles, listSharesOfKind } from './bucket-shares.js';
import { renderCorruptionReport, writeCorruptionReport } from './corruption-report.js';
import {
  ShareKindConflictError,
  ShareNotFoundError,
  UploadNotFoundError,
  UploadSecretMismatchError,
} from './errors.js';
import { DEFAULT_GATHER_MEMORY, DEFAULT_GATHER_SIZE, GatherBudget } from './gather-chunks.js';
import {
  createUploadContainer,
  discardUpload,
  isComplete,
  newUpload,
  publishUpload,
  type Upload,
  writeUploadData,
} from './immutable-upload.js';
import { KeyedLock } from './keyed-lock.js';
import { constantTimeEqual, LEASE_DURATION_SECONDS } from './lease-record.js';
import { readTestWriteSlot } from './mutable-slot.js';
import { addOrRenewLease } from './share-file.js';
import { lengthOf, openImmutableShareReader, openMutableShareReader, readOnce } from './share-reader.js';
import { bucketDir, checkShareNumber, formatStorageIndex, incomingBucketDir } from './storage-index.js';

/** Tahoe's MAX_MUTABLE_SHARE_SIZE is 69105 TB; we default to a bound that fits a JavaScript number exactly. */
export const DEFAULT_MAX_MUTABLE_SHARE_SIZE = 2 ** 40;
/** Default largest immutable share accepted (also bounded by the available space). */
export const DEFAULT_MAX_IMMUTABLE_SHARE_SIZE = 2 ** 40;
/** An upload that receives no data for this long is aborted (Tahoe: 30 minutes). */
export const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

/** Options of {@link DiskBackend}. */
export interface DiskBackendOptions {
  /** The storage directory (Tahoe's `NODEDIR/storage`); `shares/` lives inside it. */
  storageDir: string;
  /** 20-byte node id recorded in mutable containers and mutable leases (Tahoe: the tub id). */
  nodeId: Uint8Array;
  /** Bytes of free disk space to leave untouched (`[storage] reserved_space`). */
  reservedSpace?: number;
  maxImmutableShareSize?: number;
  maxMutableShareSize?: number;
  /** Application version string for the version endpoint. */
  applicationVersion?: string;
  uploadIdleTimeoutMs?: number;
  /** Current time in seconds since the epoch (tests inject a clock). */
  now?: () => number;
  /** Free bytes on the disk holding `storageDir` (default: statfs); tests inject small disks. */
  diskFreeSpace?: () => Promise<number>;
  /** Upload body chunks are gathered into writes of up to this many bytes (default 1 MiB). */
  writeGatherSize?: number;
  /**
   * Bound on the gathering buffers of all uploads together (default 64 MiB); a write that finds it used up
   * writes its chunks as they arrive.
   */
  maxGatherMemory?: number;
}

/** A {@link StorageBackend} on a local directory in Tahoe's format. Create with {@link openDiskBackend}. */
export class DiskBackend implements StorageBackend {
  private readonly uploads = new Map<string, Upload>();
  private readonly lock = new KeyedLock();
  private readonly now: () => number;
  private readonly reservedSpace: number;
  private readonly maxImmutable: number;
  private readonly maxMutable: number;
  private readonly gatherSize: number;
  private readonly gatherMemory: GatherBudget;

  constructor(private readonly options: DiskBackendOptions) {
    if (options.nodeId.length !== 20)
      throw new RangeError(`nodeId must be 20 bytes, got ${options.nodeId.length}`);
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.reservedSpace = options.reservedSpace ?? 0;
    this.maxImmutable = options.maxImmutableShareSize ?? DEFAULT_MAX_IMMUTABLE_SHARE_SIZE;
    this.maxMutable = options.maxMutableShareSize ?? DEFAULT_MAX_MUTABLE_SHARE_SIZE;
    this.gatherSize = options.writeGatherSize ?? DEFAULT_GATHER_SIZE;
    if (!Number.isSafeInteger(this.gatherSize) || this.gatherSize < 1)
      throw new RangeError(`writeGatherSize must be a positive integer, got ${this.gatherSize}`);
    this.gatherMemory = new GatherBudget(options.maxGatherMemory ?? DEFAULT_GATHER_MEMORY);
  }

  /**
   * Runs `work` while no request touches storage index `siText` (base32); the lease crawler uses this so its
   * edits of lease records never interleave with a request's.
   */
  runExclusive<T>(siText: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(siText, work);
  }

  /** The 20-byte node id recorded in mutable containers and leases. */
  get nodeId(): Uint8Array {
    return this.options.nodeId;
  }

  /** The storage directory. */
  get storageDir(): string {
    return this.options.storageDir;
  }

  /** Bytes we are willing to allocate: free space minus the reservation minus space promised to uploads. */
  async availableSpace(): Promise<number> {
    const free = this.options.diskFreeSpace
      ? await this.options.diskFreeSpace()
      : await statfs(this.options.storageDir).then((s) => s.bavail * s.bsize);
    let promised = 0;
    for (const u of this.uploads.values()) promised += u.allocatedSize;
    return Math.max(0, free - this.reservedSpace - promised);
  }

  async getVersion(): Promise<StorageVersion> {
    const available = await this.availableSpace();
    return {
      maximumImmutableShareSize: Math.min(available, this.maxImmutable),
      maximumMutableShareSize: this.maxMutable,
      availableSpace: available,
      applicationVersion: this.options.applicationVersion ?? 'lafs',
    };
  }

  private dirs(si: Uint8Array): { siText: string; bucket: string; incoming: string } {
    const siText = formatStorageIndex(si);
    return {
      siText,
      bucket: bucketDir(this.storageDir, siText),
      incoming: incomingBucketDir(this.storageDir, siText),
    };
  }

  async allocateBuckets(si: Uint8Array, request: AllocateRequest): Promise<AllocateResult> {
    const { siText, bucket, incoming } = this.dirs(si);
    for (const n of request.shareNumbers) checkShareNumber(n);
    return this.lock.run(siText, async () => {
      const alreadyHave = await listSharesOfKind(bucket, 'immutable');
      const occupied = await listShareFiles(bucket);
      const expirationTime = this.now() + LEASE_DURATION_SECONDS;
      for (const shnum of alreadyHave) {
        await addOrRenewLease(join(bucket, String(shnum)), {
          ownerNumber: 0,
          renewSecret: request.renewSecret,
          cancelSecret: request.cancelSecret,
          expirationTime,
          nodeId: this.options.nodeId,
        });
      }
      let remaining = await this.availableSpace();
      const allocated: number[] = [];
      const fits = request.allocatedSize <= this.maxImmutable;
      for (const shnum of [...new Set(request.shareNumbers)].sort((a, b) => a - b)) {
        if (occupied.includes(shnum)) continue;
        const existing = this.uploads.get(`${siText}/${shnum}`);
        if (existing) {
          // A retry with the same secret gets the same answer; another uploader does not get this share.
          if (constantTimeEqual(existing.secret, request.uploadSecret)) allocated.push(shnum);
          continue;
        }
        if (!fits || remaining < request.allocatedSize) continue;
        await this.createUpload(siText, shnum, bucket, incoming, request, expirationTime);
        remaining -= request.allocatedSize;
        allocated.push(shnum);
      }
      return { alreadyHave, allocated };
    });
  }

  private async createUpload(
    siText: string,
    shnum: number,
    bucket: string,
    incoming: string,
    request: AllocateRequest,
    expirationTime: number,
  ): Promise<void> {
    await mkdir(incoming, { recursive: true });
    const incomingPath = join(incoming, String(shnum));
    await createUploadContainer(
      incomingPath,
      request.allocatedSize,
      request.renewSecret,
      request.cancelSecret,
      expirationTime,
    );
    const key = `${siText}/${shnum}`;
    const timer = setTimeout(() => {
      void this.lock.run(key, () => this.lock.run(siText, () => this.dropUpload(key))).catch(() => undefined);
    }, this.options.uploadIdleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS);
    timer.unref();
    this.uploads.set(
      key,
      newUpload({
        secret: Uint8Array.from(request.uploadSecret),
        allocatedSize: request.allocatedSize,
        incomingPath,
        finalPath: join(bucket, String(shnum)),
        timer,
      }),
    );
  }

  private async dropUpload(key: string): Promise<void> {
    const upload = this.uploads.get(key);
    if (!upload) return;
    this.uploads.delete(key);
    await discardUpload(upload);
  }

  private async findUpload(
    siText: string,
    shnum: number,
    secret: Uint8Array,
    bucket: string,
  ): Promise<Upload> {
    const upload = this.uploads.get(`${siText}/${shnum}`);
    if (!upload) {
      const complete = (await listSharesOfKind(bucket, 'immutable')).includes(shnum);
      throw new UploadNotFoundError(siText, shnum, complete);
    }
    if (!constantTimeEqual(upload.secret, secret)) throw new UploadSecretMismatchError(siText, shnum);
    return upload;
  }

  async writeImmutable(
    si: Uint8Array,
    shnum: number,
    uploadSecret: Uint8Array,
    offset: number,
    length: number,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<WriteResult> {
    const { siText, bucket } = this.dirs(si);
    checkShareNumber(shnum);
    // Data streams under a per-share lock, so several shares of one storage index upload in parallel; only
    // the final move into place takes the storage-index lock. Lock order is always share, then index.
    const key = `${siText}/${shnum}`;
    return this.lock.run(key, async () => {
      const upload = await this.findUpload(siText, shnum, uploadSecret, bucket);
      upload.timer.refresh();
      await writeUploadData(upload, offset, length, chunks, {
        gatherSize: this.gatherSize,
        memory: this.gatherMemory,
      });
      if (!isComplete(upload))
        return { complete: false, required: upload.written.missing(upload.allocatedSize) };
      return this.lock.run(siText, async () => {
        this.uploads.delete(key);
        await mkdir(bucket, { recursive: true });
        if (!(await publishUpload(upload))) throw new ShareKindConflictError(siText, shnum);
        return { complete: true, required: [] };
      });
    });
  }

  async abortImmutable(si: Uint8Array, shnum: number, uploadSecret: Uint8Array): Promise<void> {
    const { siText, bucket } = this.dirs(si);
    checkShareNumber(shnum);
    const key = `${siText}/${shnum}`;
    await this.lock.run(key, () =>
      this.lock.run(siText, async () => {
        await this.findUpload(siText, shnum, uploadSecret, bucket);
        await this.dropUpload(key);
      }),
    );
  }

  async listImmutable(si: Uint8Array): Promise<number[]> {
    return listSharesOfKind(this.dirs(si).bucket, 'immutable');
  }

  async immutableShareLength(si: Uint8Array, shnum: number): Promise<number> {
    return lengthOf(await this.openImmutableReader(si, shnum));
  }

  async openImmutableReader(si: Uint8Array, shnum: number): Promise<ShareReader> {
    const { siText, bucket } = this.dirs(si);
    checkShareNumber(shnum);
    return openImmutableShareReader(bucket, siText, shnum);
  }

  async readImmutable(si: Uint8Array, shnum: number, offset: number, length: number): Promise<Uint8Array> {
    return readOnce(await this.openImmutableReader(si, shnum), offset, length);
  }

  async addOrRenewLease(si: Uint8Array, renewSecret: Uint8Array, cancelSecret: Uint8Array): Promise<void> {
    const { siText, bucket } = this.dirs(si);
    await this.lock.run(siText, async () => {
      const shares = await listShareFiles(bucket);
      if (shares.length === 0) throw new ShareNotFoundError(siText, undefined);
      const expirationTime = this.now() + LEASE_DURATION_SECONDS;
      for (const shnum of shares) {
        await addOrRenewLease(join(bucket, String(shnum)), {
          ownerNumber: 1,
          renewSecret,
          cancelSecret,
          expirationTime,
          nodeId: this.options.nodeId,
        });
      }
    });
  }

  async adviseCorruptShare(kind: ShareKind, si: Uint8Array, shnum: number, reason: string): Promise<void> {
    const { siText, bucket } = this.dirs(si);
    checkShareNumber(shnum);
    const present = await listSharesOfKind(bucket, kind);
    if (!present.includes(shnum)) throw new ShareNotFoundError(siText, shnum);
    const report = renderCorruptionReport(kind, siText, shnum, reason);
    if (Buffer.byteLength(report) > (await this.availableSpace())) return;
    await writeCorruptionReport(this.storageDir, report, siText, shnum, this.now());
  }

  async readTestWrite(si: Uint8Array, request: ReadTestWriteRequest): Promise<ReadTestWriteResult> {
    const { siText, bucket, incoming } = this.dirs(si);
    for (const n of request.testWriteVectors.keys()) checkShareNumber(n);
    return this.lock.run(siText, async () => {
      const result = await readTestWriteSlot(
        {
          bucketDir: bucket,
          incomingDir: incoming,
          siText,
          nodeId: this.options.nodeId,
          maxShareSize: this.maxMutable,
        },
        request,
      );
      if (result.success) {
        const expirationTime = this.now() + LEASE_DURATION_SECONDS;
        for (const shnum of result.remaining) {
          await addOrRenewLease(join(bucket, String(shnum)), {
            ownerNumber: 1,
            renewSecret: request.renewSecret,
            cancelSecret: request.cancelSecret,
            expirationTime,
            nodeId: this.options.nodeId,
          });
        }
      }
      return { success: result.success, data: result.data };
    });
  }

  async listMutable(si: Uint8Array): Promise<number[]> {
    return listSharesOfKind(this.dirs(si).bucket, 'mutable');
  }

  async openMutableReader(si: Uint8Array, shnum: number): Promise<ShareReader> {
    const { siText, bucket } = this.dirs(si);
    checkShareNumber(shnum);
    return openMutableShareReader(bucket, siText, shnum);
  }

  async mutableShareLength(si: Uint8Array, shnum: number): Promise<number> {
    return lengthOf(await this.openMutableReader(si, shnum));
  }

  async readMutable(si: Uint8Array, shnum: number, offset: number, length: number): Promise<Uint8Array> {
    return readOnce(await this.openMutableReader(si, shnum), offset, length);
  }

  async close(): Promise<void> {
    for (const key of [...this.uploads.keys()]) await this.dropUpload(key);
  }
}

/** Opens (creating if needed) a storage directory and empties `shares/incoming`, as Tahoe does at start-up. */
export async function openDiskBackend(options: DiskBackendOptions): Promise<DiskBackend> {
  await mkdir(join(options.storageDir, 'shares'), { recursive: true });
  await rm(join(options.storageDir, 'shares', 'incoming'), { recursive: true, force: true });
  await mkdir(join(options.storageDir, 'shares', 'incoming'), { recursive: true });
  return new DiskBackend(options);
}
