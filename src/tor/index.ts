/**
 * Tor as lafs uses it: a control-port client (control-spec), launching or finding tor, and v3 onion services.
 *
 * @module
 */
export {
  type AuthenticateOptions,
  type AuthenticationResult,
  authenticate,
  readCookieFile,
  safeCookieHashes,
  type TorAuthMethod,
} from './auth.js';
export { type WaitForBootstrapOptions, waitForBootstrap } from './bootstrap.js';
export {
  AUTH_FILE_SUFFIX,
  AUTH_PRIVATE_FILE_SUFFIX,
  type AuthorizedClient,
  type ClientAuthCredential,
  type ClientAuthKeyPair,
  clientAuthPublicKey,
  formatAuthorizedClient,
  formatClientAuthPrivate,
  generateClientAuthKeyPair,
  parseAuthorizedClientFile,
  parseClientAuthPrivateFile,
  readAuthorizedClients,
  readClientAuthCredentials,
} from './client-auth.js';
export {
  type ConfValue,
  getConf,
  getInfo,
  getInfoOne,
  type ProtocolInfo,
  protocolInfo,
  resetConf,
  setConf,
  signal,
  type TorSignal,
  takeOwnership,
} from './commands.js';
export {
  type ControlPortTarget,
  formatControlTarget,
  type OpenedTorControl,
  type OpenTorControlOptions,
  openControlSocket,
  openTorControl,
  parseControlDescriptor,
} from './connect.js';
export {
  TorControlClient,
  type TorControlClientOptions,
  type TorEventListener,
  type TorEventSubscription,
} from './control-client.js';
export * from './errors.js';
export {
  type BootstrapStatus,
  bootstrapFromEvent,
  type HsDescEvent,
  parseBootstrapStatus,
  parseHsDescEvent,
} from './events.js';
export { type LaunchedTor, type LaunchTorOptions, launchTor } from './launch.js';
export { DEFAULT_ONION_EXTERNAL_PORT, ONION_PRIVATE_KEY_FILE, torListener } from './listener-plugin.js';
export {
  type NodeTor,
  type StartedOnionService,
  type StartNodeTorOptions,
  startNodeTor,
  TOR_STATE_DIR,
} from './node-tor.js';
export {
  isOnionAddress,
  type OnionAddress,
  type OnionPrivateKey,
  parseOnionAddress,
  parseOnionPrivateKey,
  serviceIdFromPrivateKey,
  serviceIdFromPublicKey,
} from './onion-address.js';
export {
  type AddOnionArguments,
  type AddOnionFlag,
  type AddOnionResult,
  addOnion,
  delOnion,
  type OnionPortMapping,
  type OnionTarget,
  onionClientAuthAdd,
  onionClientAuthRemove,
} from './onion-commands.js';
export { readOnionKeyFile, writeOnionKeyFile } from './onion-key-file.js';
export {
  expandEd25519Seed,
  type MintedOnionKey,
  mintOnionKey,
  onionPrivateKeyFromBlob,
} from './onion-keygen.js';
export {
  type AddOnionServiceOptions,
  addOnionService,
  type OnionService,
  type WaitForPublishedOptions,
  waitForPublished,
} from './onion-service.js';
export { type ControlReply, type ReplyLine, ReplyParser, type ReplyParserLimits } from './reply-parser.js';
export { parseSocksListeners, type SocksAddress } from './socks-listeners.js';
export {
  type ConnectSystemTorOptions,
  connectSystemTor,
  DEFAULT_CONTROL_PORTS,
  type SystemTor,
} from './system-tor.js';
