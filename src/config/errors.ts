/**
 * Errors raised while reading, checking or creating a node directory.
 *
 * Every problem found in `tahoe.cfg` (and the files beside it) is one {@link ConfigProblem}: a
 * {@link ConfigError} subclass, or a {@link ConfigPrivacyError} when the setting would reveal the node's
 * network location. The loader collects all of them and throws one {@link ConfigErrors}, so the user sees
 * everything that is wrong at once.
 *
 * @module
 */
import { LafsError, type LafsErrorOptions, PrivacyError } from '../errors.js';

/** Where a configuration problem was found. `section`/`key` are empty when the problem is about a whole file. */
export interface ConfigLocation {
  /** The file the problem is in (usually `NODEDIR/tahoe.cfg`). */
  file: string;
  /** The INI section, without brackets (`node`, `storage`...), or `''`. */
  section: string;
  /** The key as the user spelled it, or `''` when the problem concerns the whole section or file. */
  key: string;
  /** The offending value as written, when there is one. */
  value?: string | undefined;
  /** The 1-based line in `file`, when known. */
  line?: number | undefined;
}

/** Renders `file:line [section] key = value` for messages. */
export function describeLocation(where: ConfigLocation): string {
  const place = where.line === undefined ? where.file : `${where.file}:${where.line}`;
  if (where.section === '') return place;
  const key = where.key === '' ? '' : ` ${where.key}`;
  return `${place} [${where.section}]${key}`;
}

/** Base class of the non-privacy configuration problems; `message` is the explanation without the location. */
export class ConfigError extends LafsError {
  readonly file: string;
  readonly section: string;
  readonly key: string;
  readonly value: string | undefined;
  readonly line: number | undefined;
  /** The explanation alone; `message` is prefixed with the location. */
  readonly reason: string;

  constructor(code: string, where: ConfigLocation, reason: string, options: LafsErrorOptions = {}) {
    super(code, 'config', `${describeLocation(where)}: ${reason}`, options);
    this.file = where.file;
    this.section = where.section;
    this.key = where.key;
    this.value = where.value;
    this.line = where.line;
    this.reason = reason;
  }
}

/** A line `ConfigParser` would not accept (no `=`/`:`, a key before any section, a broken `%` interpolation). */
export class ConfigSyntaxError extends ConfigError {
  constructor(where: ConfigLocation, reason: string, options?: LafsErrorOptions) {
    super('ERR_CONFIG_SYNTAX', where, reason, options);
  }
}

/** A section this node type does not know; `suggestion` is the closest known name, if any. */
export class UnknownConfigSectionError extends ConfigError {
  readonly suggestion: string | undefined;
  constructor(where: ConfigLocation, reason: string, suggestion?: string) {
    super('ERR_CONFIG_UNKNOWN_SECTION', where, reason);
    this.suggestion = suggestion;
  }
}

/** A key its section does not know; `suggestion` is the closest known key, if any. */
export class UnknownConfigKeyError extends ConfigError {
  readonly suggestion: string | undefined;
  constructor(where: ConfigLocation, reason: string, suggestion?: string) {
    super('ERR_CONFIG_UNKNOWN_KEY', where, reason);
    this.suggestion = suggestion;
  }
}

/** A value that does not parse as its type (boolean, integer, size, duration, date, descriptor, FURL...). */
export class InvalidConfigValueError extends ConfigError {
  constructor(where: ConfigLocation, reason: string, options?: LafsErrorOptions) {
    super('ERR_CONFIG_VALUE', where, reason, options);
  }
}

/** A key that another setting makes mandatory is missing. */
export class MissingConfigValueError extends ConfigError {
  constructor(where: ConfigLocation, reason: string) {
    super('ERR_CONFIG_MISSING', where, reason);
  }
}

/** Two settings contradict each other (the message names both). */
export class ConflictingConfigError extends ConfigError {
  constructor(where: ConfigLocation, reason: string) {
    super('ERR_CONFIG_CONFLICT', where, reason);
  }
}

/** A file of the node directory cannot be read, is too large, or has unsafe permissions. */
export class ConfigFileError extends ConfigError {
  constructor(where: ConfigLocation, reason: string, options?: LafsErrorOptions) {
    super('ERR_CONFIG_FILE', where, reason, options);
  }
}

/**
 * A setting refused because, with `[node] reveal-IP-address = false`, it would reveal the node's IP address.
 * It is a {@link PrivacyError} (kind `privacy`) carrying the same location fields as {@link ConfigError}.
 */
export class ConfigPrivacyError extends PrivacyError {
  readonly file: string;
  readonly section: string;
  readonly key: string;
  readonly value: string | undefined;
  readonly line: number | undefined;
  readonly reason: string;

  constructor(where: ConfigLocation, reason: string) {
    super(`${describeLocation(where)}: ${reason}`);
    this.file = where.file;
    this.section = where.section;
    this.key = where.key;
    this.value = where.value;
    this.line = where.line;
    this.reason = reason;
  }
}

/** One problem found in a node directory. */
export type ConfigProblem = ConfigError | ConfigPrivacyError;

/**
 * Every problem found in a node directory, thrown at once. `kind` is `privacy` when any problem is a privacy
 * refusal (so callers cannot mistake an unsafe configuration for a mere typo), else `config`.
 */
export class ConfigErrors extends LafsError {
  readonly errors: readonly ConfigProblem[];

  constructor(errors: readonly ConfigProblem[]) {
    const privacy = errors.some((e) => e instanceof ConfigPrivacyError);
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    const lines = errors.map((e) => `  - ${e.message}`).join('\n');
    super(
      privacy ? 'ERR_CONFIG_PRIVACY' : 'ERR_CONFIG_INVALID',
      privacy ? 'privacy' : 'config',
      `invalid node configuration (${count}):\n${lines}`,
    );
    this.errors = errors;
  }
}

/** Raised by node-directory creation for a combination of options that would not work (`--hide-ip --listen=tcp`). */
export class CreateNodeOptionsError extends LafsError {
  constructor(message: string) {
    super('ERR_CREATE_NODE_OPTIONS', 'config', message);
  }
}

/** Raised when the target of `create-node` exists and is not an empty directory. */
export class NodeDirNotEmptyError extends LafsError {
  readonly nodeDir: string;
  constructor(nodeDir: string) {
    super(
      'ERR_NODEDIR_NOT_EMPTY',
      'config',
      `the node directory ${nodeDir} exists and is not empty; to avoid overwriting anything, nothing was ` +
        'created (use a new directory, or empty this one)',
    );
    this.nodeDir = nodeDir;
  }
}
