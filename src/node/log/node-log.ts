/**
 * The node's log: `NODEDIR/logs/lafs.log` (issue #3; Tahoe's `logs/` directory, `docs/configuration.rst`
 * "Other files"), rotated by size, every event redacted (see `redact.ts`).
 *
 * Format: JSON lines, one event per line, so that messages containing newlines or quotes can never forge or
 * split an entry, and `jq` or any log shipper reads them as they are:
 *
 * ```json
 * {"time":"2026-01-02T03:04:05.678Z","level":"warn","component":"node.storage","message":"...","fields":{...}}
 * ```
 *
 * `fields` is present only when given; errors logged with `error()` carry `fields.error` with `name`, `code`,
 * `kind`, `message`, `causes` and, for bugs and foreign errors, `stack`. Logging never throws and never waits
 * for the disk: lines go to a bounded queue (`maxQueueBytes`), and when the disk falls behind the excess is
 * dropped and counted (a `log` warning line says how many, and {@link NodeLog.stats} counts them).
 *
 * @module
 */
import { join } from 'node:path';
import { describeError, type RedactOptions, redactFields } from './redact.js';
import { RotatingFile, type RotatingFileStats } from './rotating-file.js';

/** The file name of the current log inside the logs directory; rotated ones add `.1`, `.2`, ... */
export const LOG_FILE_NAME = 'lafs.log';
/** Default size at which the log rotates (10 MiB). */
export const DEFAULT_MAX_LOG_FILE_BYTES = 10 * 1024 * 1024;
/** Default number of rotated files kept. */
export const DEFAULT_KEEP_LOG_FILES = 5;
/** Default bound on bytes waiting for the disk (1 MiB). */
export const DEFAULT_MAX_LOG_QUEUE_BYTES = 1024 * 1024;
/** Longest line written; longer events keep their head and lose their fields. */
export const MAX_LOG_LINE_CHARS = 16 * 1024;

/** Severity of an event. */
export type LogLevel = 'info' | 'warn' | 'error';

/** Structured data of an event (redacted and bounded before writing). */
export type LogFields = Record<string, unknown>;

/** A component's view of the node's log. Every method returns at once and never throws. */
export interface NodeLog {
  /** Dotted component name (`node`, `node.storage`, ...). */
  readonly component: string;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  /** Logs a failure: `where` says what was being done; the error's code, kind and causes go into the fields. */
  error(error: unknown, where: string, fields?: LogFields): void;
  /** A log for a sub-component (`child('storage')` of `node` logs as `node.storage`), sharing the file. */
  child(component: string): NodeLog;
  /** Resolves once everything logged so far is on disk (or has failed). */
  flush(): Promise<void>;
  /** Flushes and closes the shared file; later events are dropped. */
  close(): Promise<void>;
  /** Counters of the shared file. */
  stats(): RotatingFileStats;
}

/** Options of {@link openNodeLog}. */
export interface NodeLogOptions {
  /** Rotate at this size (default {@link DEFAULT_MAX_LOG_FILE_BYTES}, at least 1024). */
  maxFileBytes?: number;
  /** Rotated files kept (default {@link DEFAULT_KEEP_LOG_FILES}). */
  keepFiles?: number;
  /** Bytes that may wait for the disk (default {@link DEFAULT_MAX_LOG_QUEUE_BYTES}). */
  maxQueueBytes?: number;
  /** Also hide onion and I2P names and IP addresses (default false; a node may set it when anonymous). */
  redactAddresses?: boolean;
  /** The root component name (default `node`). */
  component?: string;
  /** Told about failed writes (e.g. to print one warning on stderr). */
  onWriteError?: (error: unknown) => void;
  /** Clock, for tests. */
  now?: () => Date;
}

const COMPONENT = /^[A-Za-z0-9_-]{1,40}(\.[A-Za-z0-9_-]{1,40}){0,7}$/;

function checkComponent(name: string): string {
  if (!COMPONENT.test(name))
    throw new RangeError(
      `log component must be dotted words of letters, digits, _ and -, got ${JSON.stringify(name)}`,
    );
  return name;
}

/** Serialises one event, bounded to {@link MAX_LOG_LINE_CHARS}. */
function formatLine(
  time: Date,
  level: LogLevel,
  component: string,
  message: string,
  fields: LogFields | undefined,
  redact: RedactOptions,
): string {
  const event: Record<string, unknown> = {
    time: time.toISOString(),
    level,
    component,
    message: redactFields(message, redact, MAX_LOG_LINE_CHARS / 2),
  };
  if (fields !== undefined && Object.keys(fields).length > 0) event.fields = redactFields(fields, redact);
  const line = JSON.stringify(event);
  if (line.length <= MAX_LOG_LINE_CHARS) return line;
  event.fields = { truncated: `the event was ${line.length} characters; its fields were left out` };
  return JSON.stringify(event);
}

/** Opens (creating) `logsDir/lafs.log` and returns the root {@link NodeLog}. */
export async function openNodeLog(logsDir: string, options: NodeLogOptions = {}): Promise<NodeLog> {
  const redact: RedactOptions = { addresses: options.redactAddresses === true };
  const now = options.now ?? (() => new Date());
  const file = await RotatingFile.open(join(logsDir, LOG_FILE_NAME), {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_LOG_FILE_BYTES,
    keepFiles: options.keepFiles ?? DEFAULT_KEEP_LOG_FILES,
    maxQueueBytes: options.maxQueueBytes ?? DEFAULT_MAX_LOG_QUEUE_BYTES,
    droppedLine: (count) =>
      formatLine(
        now(),
        'warn',
        'log',
        `dropped ${count} log line(s): the disk did not keep up`,
        { dropped: count },
        redact,
      ),
    ...(options.onWriteError === undefined ? {} : { onWriteError: options.onWriteError }),
  });

  const make = (component: string): NodeLog => {
    const emit = (level: LogLevel, message: string, fields: LogFields | undefined): void => {
      try {
        file.write(formatLine(now(), level, component, message, fields, redact));
      } catch (error) {
        // Formatting must never take the node down; record that something could not be logged.
        file.write(
          formatLine(
            now(),
            'error',
            'log',
            'an event could not be formatted',
            { error: String(error) },
            redact,
          ),
        );
      }
    };
    return {
      component,
      info: (message, fields) => emit('info', message, fields),
      warn: (message, fields) => emit('warn', message, fields),
      error: (error, where, fields) => {
        const detail = error instanceof Error ? describeError(error) : { message: String(error) };
        emit('error', `${where}: ${String(detail.message)}`, { ...fields, error: detail });
      },
      child: (name) => make(`${component}.${checkComponent(name)}`),
      flush: () => file.flush(),
      close: () => file.close(),
      stats: () => file.stats,
    };
  };
  return make(checkComponent(options.component ?? 'node'));
}
