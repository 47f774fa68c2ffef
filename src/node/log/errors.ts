/**
 * Errors of the node's log.
 *
 * @module
 */
import { LafsError } from '../../errors.js';

/** The log directory or file cannot be created or opened (permissions, missing parent, full disk). */
export class LogFileError extends LafsError {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(
      'ERR_LOG_FILE',
      'config',
      `cannot open the log file ${path}${code === undefined ? '' : ` (${code})`}: ${
        cause instanceof Error ? cause.message : String(cause)
      }`,
      { cause },
    );
  }
}
