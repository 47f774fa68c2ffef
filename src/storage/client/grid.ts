/**
 * A storage server the client can talk to: what it announced plus a storage-protocol client for it.
 *
 * @module
 */
import type { GbsClient } from '../http/client.js';
import type { StorageServerInfo } from './server-info.js';

/** The storage-protocol calls the grid client makes (a subset of {@link GbsClient}, so tests can substitute). */
export type StorageApi = Pick<
  GbsClient,
  | 'getVersion'
  | 'addOrRenewLease'
  | 'allocateBuckets'
  | 'writeShareChunk'
  | 'abortUpload'
  | 'listImmutableShares'
  | 'readImmutableShare'
  | 'adviseCorruptShare'
>;

/** One server of the grid, ready to use. */
export interface GridServer {
  info: StorageServerInfo;
  api: StorageApi;
}

/** Progress of a long transfer, reported as it goes. */
export interface TransferProgress {
  /** What is happening: hashing the plaintext for the convergent key, uploading shares, downloading. */
  phase: 'hashing' | 'uploading' | 'downloading';
  /** Bytes done in this phase. */
  done: number;
  /** Bytes this phase will take in all, when known. */
  total: number | undefined;
}
