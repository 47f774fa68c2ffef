/**
 * The storage backend interface: the business logic of a Tahoe storage server (storage/server.py) with no
 * knowledge of HTTP. The GBS request handler and the in-process conformance tests both call it.
 * Share data moves as chunks; storage indexes are 16 raw bytes.
 *
 * @module
 */

/** A half-open byte range `[begin, end)` (GBS "required" ranges use this shape). */
export interface ByteRange {
  begin: number;
  end: number;
}

/** Secrets and parameters of `POST /storage/v1/immutable/:si` (http-storage-node-protocol.rst, Immutable/Writing). */
export interface AllocateRequest {
  renewSecret: Uint8Array;
  cancelSecret: Uint8Array;
  uploadSecret: Uint8Array;
  shareNumbers: readonly number[];
  allocatedSize: number;
}

/** Reply of an allocation: shares already complete here, and shares now open for upload. */
export interface AllocateResult {
  alreadyHave: number[];
  allocated: number[];
}

/** Result of writing one chunk of an immutable share. */
export interface WriteResult {
  /** True when this write completed the share (it is now readable and listed). */
  complete: boolean;
  /** What is still missing (empty when complete). */
  required: ByteRange[];
}

/** One test vector: the share's bytes at `[offset, offset+size)` (truncated at its end) must equal `specimen`. */
export interface TestVector {
  offset: number;
  size: number;
  specimen: Uint8Array;
}

/** One write vector. */
export interface WriteVector {
  offset: number;
  data: Uint8Array;
}

/** Test and write vectors for one mutable share; `newLength` 0 deletes the share, `null` leaves the length. */
export interface TestWriteVectors {
  test: TestVector[];
  write: WriteVector[];
  newLength: number | null;
}

/** A read vector entry. */
export interface ReadVector {
  offset: number;
  size: number;
}

/** Parameters of `POST /storage/v1/mutable/:si/read-test-write`. */
export interface ReadTestWriteRequest {
  writeEnabler: Uint8Array;
  renewSecret: Uint8Array;
  cancelSecret: Uint8Array;
  testWriteVectors: ReadonlyMap<number, TestWriteVectors>;
  readVector: readonly ReadVector[];
}

/** Whether every test vector passed (and the writes were applied), and what the read vector read before writing. */
export interface ReadTestWriteResult {
  success: boolean;
  data: Map<number, Uint8Array[]>;
}

/** What the version endpoint reports. */
export interface StorageVersion {
  maximumImmutableShareSize: number;
  maximumMutableShareSize: number;
  availableSpace: number;
  applicationVersion: string;
}

/**
 * One share opened for reading: many ranges through one file handle (the GBS handler streams a read reply
 * through one). The data length is fixed when the share is opened. The owner must call {@link close} on
 * every path.
 */
export interface ShareReader {
  /** Length of the share data when the share was opened. */
  readonly length: number;
  /** Reads `[offset, offset+length)`, truncated at the end of the data (empty past it), as Tahoe does. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Closes the file; further reads reject. Safe to call more than once. */
  close(): Promise<void>;
}

/** Which kind of share a corruption advisory or a lease concerns. */
export type ShareKind = 'immutable' | 'mutable';

/** The operations of a storage server, one per GBS endpoint. Errors are the classes in `./errors.ts`. */
export interface StorageBackend {
  getVersion(): Promise<StorageVersion>;
  allocateBuckets(storageIndex: Uint8Array, request: AllocateRequest): Promise<AllocateResult>;
  /** Writes `length` bytes (delivered as `chunks`) at `offset` of an upload in progress. */
  writeImmutable(
    storageIndex: Uint8Array,
    shareNumber: number,
    uploadSecret: Uint8Array,
    offset: number,
    length: number,
    chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  ): Promise<WriteResult>;
  abortImmutable(storageIndex: Uint8Array, shareNumber: number, uploadSecret: Uint8Array): Promise<void>;
  listImmutable(storageIndex: Uint8Array): Promise<number[]>;
  immutableShareLength(storageIndex: Uint8Array, shareNumber: number): Promise<number>;
  readImmutable(
    storageIndex: Uint8Array,
    shareNumber: number,
    offset: number,
    length: number,
  ): Promise<Uint8Array>;
  /** Opens a complete immutable share for several reads (http-storage-node-protocol.rst, Reading). */
  openImmutableReader(storageIndex: Uint8Array, shareNumber: number): Promise<ShareReader>;
  /** Renews the lease whose renew secret matches on every share of the storage index, or adds one. */
  addOrRenewLease(storageIndex: Uint8Array, renewSecret: Uint8Array, cancelSecret: Uint8Array): Promise<void>;
  adviseCorruptShare(
    kind: ShareKind,
    storageIndex: Uint8Array,
    shareNumber: number,
    reason: string,
  ): Promise<void>;
  readTestWrite(storageIndex: Uint8Array, request: ReadTestWriteRequest): Promise<ReadTestWriteResult>;
  listMutable(storageIndex: Uint8Array): Promise<number[]>;
  mutableShareLength(storageIndex: Uint8Array, shareNumber: number): Promise<number>;
  readMutable(
    storageIndex: Uint8Array,
    shareNumber: number,
    offset: number,
    length: number,
  ): Promise<Uint8Array>;
  /** Opens a mutable share for several reads. */
  openMutableReader(storageIndex: Uint8Array, shareNumber: number): Promise<ShareReader>;
  /** Stops timers and closes files; uploads in progress are abandoned (their incoming files are removed). */
  close(): Promise<void>;
}
