/**
 * Errors of the CLI commands that talk to a node's web gateway (`put`, `get`, `ls`, `status`).
 *
 * @module
 */
import { LafsError, type LafsErrorOptions } from '../errors.js';

/** The node's URL cannot be found or is malformed (`NODEDIR/node.url`, `--node-url`). */
export class NodeUrlError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_NODE_URL', 'config', message, options);
  }
}

/** The gateway could not be reached, or the connection broke mid-transfer. */
export class GatewayConnectionError extends LafsError {
  constructor(message: string, options: LafsErrorOptions = {}) {
    super('ERR_GATEWAY_CONNECTION', 'network', message, options);
  }
}

/** The gateway answered with an error status; `message` carries its text. */
export class GatewayResponseError extends LafsError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('ERR_GATEWAY_RESPONSE', 'remote', message);
  }
}
