/**
 * lafs as a library: the public API at the package root.
 *
 * @module
 */

export {
  type ConnectionHandlers,
  type ConnectionHint,
  ConnectionManager,
  type ConnectionManagerOptions,
  type ConnectOptions,
  type Connector,
  createDefaultRegistry,
  createTcpConnector,
  createTorSocksConnector,
  type DescriptorCodec,
  DescriptorError,
  DescriptorRegistry,
  expandLocation,
  type ListenDescriptor,
  type LocationItem,
  NoConnectorError,
  OnionServiceError,
  RawIpToTorError,
  SocksProtocolError,
  SocksProxyUnavailableError,
  SocksReplyError,
  TcpConnectError,
} from './endpoints/index.js';
export { AbortError, type ErrorKind, LafsError, type LafsErrorOptions, PrivacyError } from './errors.js';
export type { AbortOptions } from './util/abort.js';
