/**
 * The log of a node run from the command line.
 *
 * @module
 */
import type { NodeLogger } from '../node/run/node-log.js';

/** A node logger that can be closed. */
export type ClosableNodeLogger = NodeLogger & { close(): Promise<void> };

/** Opens the log of the node in `nodeDir`. */
export async function openCliNodeLog(_nodeDir: string): Promise<ClosableNodeLogger> {
  const line = (level: string, message: string) =>
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`);
  return {
    info: (m) => line('info', m),
    warn: (m) => line('warn', m),
    error: (e, where) => line('error', `${where}: ${e instanceof Error ? e.message : String(e)}`),
    close: async () => undefined,
  };
}
