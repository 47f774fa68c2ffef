/**
 * What every request handler gets: the backend, the transfer record and the limits.
 *
 * @module
 */
import type { GatewayBackend } from './backend.js';
import type { TransferTracker } from './transfers.js';

/** Bounds on every request (see {@link startWebGateway}). */
export interface GatewayLimits {
  /** Bytes of request headers (default 16 KiB). */
  maxHeaderBytes: number;
  /** Bytes of an upload body (default 64 GiB). */
  maxUploadBytes: number;
  /** Deadline of one whole request, body and grid transfer included, in ms (default 6 h). */
  requestTimeoutMs: number;
  /** Time a connection may sit without traffic, in ms (default 120 s). */
  idleTimeoutMs: number;
  /** Time to receive the request headers, in ms (default 30 s). */
  headersTimeoutMs: number;
}

/** Shared state of one gateway. */
export interface GatewayContext {
  backend: GatewayBackend;
  tracker: TransferTracker;
  limits: GatewayLimits;
}
