/**
 * Test access to the in-process grid of real HTTPS storage servers on 127.0.0.1.
 *
 * @module
 */
import { type LocalGrid, startLocalGrid as start } from '../../src/node/local-grid.js';

export type { LocalGrid };

/** Starts `count` storage servers on 127.0.0.1 in a temporary directory. */
export function startLocalGrid(count: number): Promise<LocalGrid> {
  return start({ servers: count });
}
