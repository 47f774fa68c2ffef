/**
 * What the running node logs through. The node's log file (`src/node/log`) implements it; tests pass a recorder.
 *
 * @module
 */

/** A sink for the node's log events. Implementations redact capabilities and secrets. */
export interface NodeLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** An unexpected failure in `where` (a component or operation). */
  error(error: unknown, where: string): void;
}

/** A logger that drops everything. */
export const silentLogger: NodeLogger = {
  info() {},
  warn() {},
  error() {},
};
