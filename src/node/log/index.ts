/**
 * The node's log: `openNodeLog(NODEDIR/logs)` gives a {@link NodeLog} writing redacted JSON lines to
 * `lafs.log`, rotated by size.
 *
 * @module
 */
export { LogFileError } from './errors.js';
export {
  DEFAULT_KEEP_LOG_FILES,
  DEFAULT_MAX_LOG_FILE_BYTES,
  DEFAULT_MAX_LOG_QUEUE_BYTES,
  LOG_FILE_NAME,
  type LogFields,
  type LogLevel,
  MAX_LOG_LINE_CHARS,
  type NodeLog,
  type NodeLogOptions,
  openNodeLog,
} from './node-log.js';
export { describeError, type RedactOptions, redactFields, redactText } from './redact.js';
export { RotatingFile, type RotatingFileOptions, type RotatingFileStats } from './rotating-file.js';
