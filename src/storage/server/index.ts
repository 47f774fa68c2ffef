/**
 * The storage server: start one with {@link startStorageServer}; the handler and backend are exported for
 * embedding and in-process use.
 *
 * @module
 */
export type { StorageAnnouncement } from './announcement.js';
export { buildAnnouncement } from './announcement.js';
export type { GbsHandler, HandlerLimits, HandlerOptions } from './handler.js';
export { createGbsHandler } from './handler.js';
export { serveGbs } from './node-adapter.js';
export type { RunningStorageServer, StorageServerOptions } from './start.js';
export { startStorageServer } from './start.js';
