/**
 * The log of a node run from the command line: every event goes to `NODEDIR/logs/lafs.log` (redacted, rotated;
 * `src/node/log`); warnings and errors also go to stderr, redacted the same way.
 *
 * @module
 */
import { join } from 'node:path';
import { openNodeLog, redactText } from '../node/log/index.js';
import type { NodeLogger } from '../node/run/node-log.js';

/** A node logger that can be closed. */
export type ClosableNodeLogger = NodeLogger & { close(): Promise<void> };

/**
 * Opens the log of the node in `nodeDir`. `anonymous` also hides onion and I2P names and IP addresses in the
 * log, so that a log shared for debugging does not tell where the node's peers are.
 */
export async function openCliNodeLog(nodeDir: string, anonymous: boolean): Promise<ClosableNodeLogger> {
  const file = await openNodeLog(join(nodeDir, 'logs'), { redactAddresses: anonymous });
  const echo = (level: string, text: string): void => {
    process.stderr.write(`lafs: ${level}: ${redactText(text, { addresses: anonymous })}\n`);
  };
  return {
    info: (message, fields) => file.info(message, fields),
    warn: (message, fields) => {
      file.warn(message, fields);
      echo('warning', message);
    },
    error: (error, where) => {
      file.error(error, where);
      echo('error', `${where}: ${error instanceof Error ? error.message : String(error)}`);
    },
    close: () => file.close(),
  };
}
