/**
 * Node configuration: `tahoe.cfg` (Tahoe-LAFS `docs/configuration.rst`) into typed settings, the anonymity
 * rules, and the creation of new node directories.
 *
 * @module
 */
export { checkAnonymity, isLoopbackInterface, unsafeListenReason } from './anonymity.js';
export { type ClientEndpoint, parseClientEndpoint } from './client-endpoint.js';
export * from './create/index.js';
export { type DescriptorParsers, defaultDescriptorParsers } from './descriptors.js';
export * from './errors.js';
export { type IniDocument, type IniEntry, type IniSection, interpolateValue, parseIni } from './ini.js';
export {
  type ConfigCheckResult,
  checkNodeConfig,
  type LoadNodeConfigOptions,
  loadNodeConfig,
  type ParseNodeConfigOptions,
  parseNodeConfig,
} from './load.js';
export { detectNodeType, MAX_CONFIG_FILE_BYTES, nodePaths, readConvergenceSecret } from './node-files.js';
export type * from './types.js';
export { parseAbbreviatedSize, parseBoolean, parseDate, parseDuration, parseInteger } from './values.js';
