/**
 * How `lafs run` starts Tor and I2P when the node needs them.
 *
 * @module
 */
import type { NodeLogger } from '../node/run/node-log.js';
import type { TransportStarters } from '../node/run/transports.js';

/** The Tor and I2P starters for the node in `nodeDir` (progress goes to stderr and the log). */
export function nodeStarters(_nodeDir: string, _log: NodeLogger): TransportStarters {
  return {};
}
