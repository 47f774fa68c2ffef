/**
 * Node-directory creation (`lafs create-node`, `create-client`, `create-introducer`).
 *
 * @module
 */

export {
  allocateTcpPort,
  builtinListenerPlugins,
  type ListenerCliOption,
  type ListenerConfig,
  type ListenerPlugin,
  ListenerRegistry,
  noneListener,
  tcpListener,
} from './listeners.js';
export {
  type CreatedNode,
  type CreateNodeDirectoryOptions,
  createNodeDirectory,
  makeConvergenceSecret,
  validateCreateOptions,
} from './node-dir.js';
export { type CreateNodeKind, type CreateNodeOptions, DEFAULT_WEBPORT } from './options.js';
export { escapeValue, renderTahoeCfg } from './render.js';
