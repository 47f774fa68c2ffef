/**
 * I2P for lafs: our own SAM v3 client (sessions, streams, naming, keys) and an i2pd launcher.
 *
 * This layer only moves bytes: a {@link SamSession} hands back duplex streams to I2P destinations and accepts
 * streams from them; it knows nothing of storage.
 *
 * @module
 */
export * from './destination.js';
export * from './errors.js';
export * from './i2pd-config.js';
export * from './i2pd-launcher.js';
export * from './key-files.js';
export * from './sam-client.js';
export * from './sam-connection.js';
export * from './sam-forward.js';
export * from './sam-line-buffer.js';
export * from './sam-listener.js';
export * from './sam-message.js';
export * from './sam-replies.js';
export * from './sam-session.js';
export * from './sam-stream.js';
