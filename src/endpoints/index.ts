/**
 * Endpoints: how lafs names places on the network (connection hints, listen descriptors, location lists) and
 * how it dials them (connectors behind one connection manager).
 *
 * @module
 */

export { formatUnixClientDescriptor, parseUnixClientDescriptor } from './codecs/unix.js';
export {
  type ConnectionHandlers,
  ConnectionManager,
  type ConnectionManagerOptions,
} from './connection-manager.js';
export { type ConnectOptions, type Connector, describeHint, hostPortOf } from './connector.js';
export * from './errors.js';
export { isLoopback } from './host.js';
export { type ExpandLocationOptions, expandLocation, formatLocation, parseLocation } from './location.js';
export {
  decodeOnionV3Id,
  encodeOnionV3Id,
  ONION_V3_ID_LENGTH,
  type OnionV3Decoded,
  type OnionV3Problem,
  onionV3Checksum,
} from './onion-v3.js';
export { checkI2pName, checkOnionName, type NameProblem } from './overlay-address.js';
export { builtinCodecs, createDefaultRegistry, DescriptorRegistry, type ParseOptions } from './registry.js';
export {
  SOCKS5_REPLY_REASONS,
  Socks5ReplyReader,
  type Socks5ReplyState,
  socksReplyError,
} from './socks5-reply.js';
export {
  createTcpConnector,
  DEFAULT_TCP_CONNECT_TIMEOUT_MS,
  dialTcp,
  type TcpConnectorOptions,
} from './tcp-connector.js';
export { type DescriptorToken, escapeValue, MAX_DESCRIPTOR_LENGTH, splitList, tokenize } from './tokenize.js';
export {
  createTorSocksConnector,
  DEFAULT_TOR_CONNECT_TIMEOUT_MS,
  DEFAULT_TOR_SOCKS_PORTS,
  type IsolationPolicy,
  type SocksAddress,
  type TorSocksConnector,
  type TorSocksConnectorOptions,
} from './tor-socks-connector.js';
export type * from './types.js';
