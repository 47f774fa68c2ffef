/**
 * Errors of a running node.
 *
 * @module
 */
import { LafsError } from '../../errors.js';

/** Another process already runs this node. */
export class NodeAlreadyRunningError extends LafsError {
  constructor(
    readonly pidFile: string,
    readonly pid: number,
  ) {
    super(
      'ERR_NODE_ALREADY_RUNNING',
      'config',
      `the node is already running (process ${pid}, ${pidFile}); stop it first with 'lafs stop'`,
    );
  }
}

/** A node directory holds something `lafs run` cannot serve (yet), named with the setting that asks for it. */
export class UnsupportedNodeSettingError extends LafsError {
  constructor(setting: string, why: string) {
    super('ERR_NODE_UNSUPPORTED_SETTING', 'config', `${setting}: ${why}`);
  }
}

/** A private file the node keeps (`private/secret`, `private/convergence`) is unreadable or malformed. */
export class NodeSecretFileError extends LafsError {
  constructor(
    readonly file: string,
    problem: string,
    options: { cause?: unknown } = {},
  ) {
    super('ERR_NODE_SECRET_FILE', 'config', `${file}: ${problem}`, options);
  }
}

/** A node asked for Tor or I2P that its configuration disables, or after the node stopped. */
export class TransportUnavailableError extends LafsError {
  constructor(
    readonly transport: string,
    why: string,
  ) {
    super('ERR_NODE_TRANSPORT_UNAVAILABLE', 'config', `${transport} ${why}`);
  }
}
