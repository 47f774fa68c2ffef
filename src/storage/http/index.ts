/**
 * The GBS wire layer: client, NURLs, SPKI pins, certificates, CBOR schemas, errors.
 *
 * @module
 */
export type { GbsClientOptions } from './client.js';
export { GbsClient } from './client.js';
export * from './errors.js';
export type { Connector } from './https-transport.js';
export { directTcpConnector } from './https-transport.js';
export type { GbsRequest, GbsResponse, Transport } from './message.js';
export type { Nurl, NurlScheme } from './nurl.js';
export { formatNurl, parseNurl } from './nurl.js';
export { certificateSpkiHash, spkiHashOfSpki } from './spki.js';
