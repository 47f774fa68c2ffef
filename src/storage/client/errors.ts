/**
 * Errors of the grid client: finding servers, uploading and downloading across them.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../../errors.js';

/** A storage announcement or `servers.yaml` entry is malformed. Names the file (if any), the server and the field. */
export class AnnouncementError extends LafsError {
  constructor(
    readonly where: string,
    message: string,
    options: LafsErrorOptions = {},
  ) {
    super('ERR_ANNOUNCEMENT', 'config', `${where}: ${message}`, options);
  }
}

/** Why one server could not take part in an upload. */
export interface ServerFailure {
  server: string;
  reason: string;
}

/**
 * An upload could not reach servers-of-happiness. Says how many servers were found, how many were needed, what
 * happiness was reached and why each failing server failed (Tahoe's `UploadUnhappinessError`).
 */
export class UploadUnhappinessError extends LafsError {
  constructor(
    readonly found: number,
    readonly happiness: number,
    readonly needed: number,
    readonly failures: readonly ServerFailure[],
  ) {
    const why = failures.length
      ? ` Failures: ${failures.map((f) => `${f.server}: ${f.reason}`).join('; ')}.`
      : '';
    super(
      'ERR_UPLOAD_UNHAPPY',
      'network',
      `upload reached happiness ${happiness} but ${needed} is needed: ${found} server(s) found, ` +
        `${failures.length} failed.${why}`,
    );
  }
}

/** A download could not find or fetch enough good shares. */
export class DownloadError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_DOWNLOAD', 'network', message, options);
  }
}
