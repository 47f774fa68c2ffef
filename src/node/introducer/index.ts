/**
 * The introducer: signed announcements (Ed25519 node key), the HTTPS introducer service, and the client that
 * publishes this node's announcements and follows the grid's storage servers. See docs/introducer.md.
 *
 * @module
 */
export * from './announcement-table.js';
export { type BackoffOptions, backoffDelay } from './backoff.js';
export * from './cache-file.js';
export * from './client.js';
export * from './errors.js';
export { IntroducerApi, type PublishOutcome, type SubscribeAnswer } from './introducer-api.js';
export * from './introducer-url.js';
export * from './node-key.js';
export { pythonJsonDumps } from './python-json.js';
export { SEQNUM_FILE, Sequencer } from './sequencer.js';
export * from './service.js';
export { createIntroducerHandler, type IntroducerHandler, type IntroducerLimits } from './service-handler.js';
export * from './signed-announcement.js';
export { API_PREFIX, authorizationFor, INTRODUCER_V2 } from './wire.js';
