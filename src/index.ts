/**
 * lafs as a library: the public API at the package root.
 *
 * @module
 */

export { base32Decode, base32Encode } from './crypto/base32.js';
export {
  BadHashError,
  Base32Error,
  InvalidKeyError,
  NetstringError,
  NotEnoughHashesError,
} from './crypto/errors.js';
export { deriveSskKeys, type SskKeys } from './crypto/ssk-keys.js';
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
export * from './storage/caps/index.js';
export { decodeImmutable, type ImmutableShares } from './storage/chk/decode-immutable.js';
export { type ChkDecodeOptions, decodeChk } from './storage/chk/decoder.js';
export { type EncodedImmutable, encodeImmutable } from './storage/chk/encode-immutable.js';
export {
  type ChkEncodeResult,
  type ChkPlan,
  type ImmutableEncodeOptions,
  type ImmutablePlan,
  planImmutableUpload,
  type ShareSinks,
  writeImmutableShares,
} from './storage/chk/encoder.js';
export {
  ChkSourceError,
  CorruptFileError,
  CorruptShareError,
  NotEnoughSharesError,
  ShareLayoutError,
  UriExtensionError,
} from './storage/chk/errors.js';
export { DEFAULT_MAX_SEGMENT_SIZE } from './storage/chk/params.js';
export { bytesShareReader, type ShareReader, type ShareReaders } from './storage/chk/share-reader.js';
export { MemoryShareSink, type ShareSink } from './storage/chk/share-sink.js';
export type { ImmutableSource } from './storage/chk/source.js';
export type { AbortOptions } from './util/abort.js';
