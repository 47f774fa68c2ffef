/**
 * Onion-service control commands: ADD_ONION, DEL_ONION (control-spec 3.27, 3.28), ONION_CLIENT_AUTH_ADD and
 * ONION_CLIENT_AUTH_REMOVE (3.30, 3.31). v3 (ED25519-V3) only; v2 services no longer exist.
 *
 * @module
 */
import { isIP } from 'node:net';
import { isValidPort } from '../endpoints/host.js';
import type { AbortOptions } from '../util/abort.js';
import type { TorControlClient } from './control-client.js';
import { TorProtocolError } from './errors.js';
import {
  ED25519_V3,
  type OnionPrivateKey,
  parseOnionAddress,
  parseOnionPrivateKey,
} from './onion-address.js';

/** Where an onion service's virtual port is forwarded. */
export type OnionTarget = { readonly host: string; readonly port: number } | { readonly unixPath: string };

/** One `Port=` mapping of ADD_ONION. */
export interface OnionPortMapping {
  /** The port clients connect to on the .onion address. */
  readonly virtualPort: number;
  /** The local target; defaults (in Tor) to 127.0.0.1:virtualPort. */
  readonly target?: OnionTarget;
}

/** ADD_ONION flags (control-spec 3.27) meaningful for v3 services. */
export type AddOnionFlag = 'DiscardPK' | 'Detach' | 'V3Auth' | 'NonAnonymous' | 'MaxStreamsCloseCircuit';

/** Arguments of {@link addOnion}. */
export interface AddOnionArguments {
  /** `'NEW'` to mint an ED25519-V3 key, or a stored key (`ED25519-V3:<base64>` or parsed). */
  readonly key: 'NEW' | string | OnionPrivateKey;
  /** At least one port mapping. */
  readonly ports: readonly OnionPortMapping[];
  readonly flags?: readonly AddOnionFlag[];
  /** Maximum streams per rendezvous circuit, 0-65535 (0 = unlimited). */
  readonly maxStreams?: number;
  /** Authorised clients' x25519 public keys, base32 (52 characters); implies the V3Auth flag. */
  readonly clientAuthV3?: readonly string[];
}

/** What ADD_ONION returned. */
export interface AddOnionResult {
  /** The service id (address without `.onion`). */
  readonly serviceId: string;
  /** The minted key (`ED25519-V3:<base64>`), only for NEW keys without DiscardPK. */
  readonly privateKey?: string;
}

function checkPort(port: number, label: string): number {
  if (!isValidPort(port)) throw new RangeError(`${label} must be 1-65535, got ${port}`);
  return port;
}

/** Formats a target as HiddenServicePort's TARGET: `IP:PORT`, `[IPv6]:PORT` or `unix:/path`. */
export function formatOnionTarget(target: OnionTarget): string {
  if ('unixPath' in target) {
    if (!target.unixPath.startsWith('/') || /[\s",\\]/.test(target.unixPath)) {
      throw new RangeError(
        `onion target unixPath must be absolute, without spaces, quotes, commas or backslashes: ${JSON.stringify(target.unixPath)}`,
      );
    }
    return `unix:${target.unixPath}`;
  }
  const family = isIP(target.host);
  if (family === 0)
    throw new RangeError(`onion target host must be an IP literal, got ${JSON.stringify(target.host)}`);
  const port = checkPort(target.port, 'onion target port');
  return family === 6 ? `[${target.host}]:${port}` : `${target.host}:${port}`;
}

/** Checks a client-authorisation public key: 52 base32 characters (an x25519 key, rend-spec-v3 G.1.2). */
function checkClientAuthKey(key: string): string {
  if (!/^[A-Za-z2-7]{52}$/.test(key)) {
    throw new RangeError(
      `ClientAuthV3 keys are 52 base32 characters, got ${JSON.stringify(key.slice(0, 60))}`,
    );
  }
  return key.toUpperCase();
}

/** ADD_ONION (control-spec 3.27). A NEW key is minted at once; descriptor publication happens later. */
export async function addOnion(
  control: TorControlClient,
  args: AddOnionArguments,
  options: AbortOptions = {},
): Promise<AddOnionResult> {
  if (args.ports.length === 0) throw new RangeError('ADD_ONION needs at least one port mapping');
  const keySpec =
    args.key === 'NEW'
      ? `NEW:${ED25519_V3}`
      : typeof args.key === 'string'
        ? parseOnionPrivateKey(args.key).text
        : args.key.text;
  const parts = ['ADD_ONION', keySpec];
  const flags = new Set(args.flags ?? []);
  const clientKeys = (args.clientAuthV3 ?? []).map(checkClientAuthKey);
  if (clientKeys.length > 0) flags.add('V3Auth');
  if (flags.size > 0) parts.push(`Flags=${[...flags].join(',')}`);
  if (args.maxStreams !== undefined) {
    if (!isValidPort(args.maxStreams, 0)) {
      throw new RangeError(`maxStreams must be 0-65535, got ${args.maxStreams}`);
    }
    parts.push(`MaxStreams=${args.maxStreams}`);
  }
  for (const mapping of args.ports) {
    const virtualPort = checkPort(mapping.virtualPort, 'virtualPort');
    parts.push(
      mapping.target ? `Port=${virtualPort},${formatOnionTarget(mapping.target)}` : `Port=${virtualPort}`,
    );
  }
  for (const key of clientKeys) parts.push(`ClientAuthV3=${key}`);
  const reply = await control.request(parts.join(' '), options);
  let serviceId: string | undefined;
  let privateKey: string | undefined;
  for (const line of reply.lines) {
    if (line.text.startsWith('ServiceID=')) serviceId = line.text.slice('ServiceID='.length);
    else if (line.text.startsWith('PrivateKey=')) privateKey = line.text.slice('PrivateKey='.length);
  }
  if (serviceId === undefined) throw new TorProtocolError('ADD_ONION reply has no ServiceID');
  parseOnionAddress(serviceId); // Tor's own answer must be a valid v3 id
  if (privateKey !== undefined) parseOnionPrivateKey(privateKey, 'the ADD_ONION reply');
  return { serviceId, ...(privateKey !== undefined ? { privateKey } : {}) };
}

/** DEL_ONION (control-spec 3.28): removes a service created on this connection or detached. */
export async function delOnion(
  control: TorControlClient,
  serviceId: string,
  options: AbortOptions = {},
): Promise<void> {
  await control.request(`DEL_ONION ${parseOnionAddress(serviceId).serviceId}`, options);
}

/** Arguments of {@link onionClientAuthAdd}. */
export interface OnionClientAuthCredentials {
  /** The service's address or id. */
  readonly address: string;
  /** The client's x25519 private key, 32 bytes. */
  readonly privateKey: Uint8Array;
  /** Optional nickname (letters, digits, `-`, `_`). */
  readonly clientName?: string;
  /** Store the credential in Tor's ClientOnionAuthDir. */
  readonly permanent?: boolean;
}

/** ONION_CLIENT_AUTH_ADD (control-spec 3.30): lets this Tor reach a service that requires client authorisation. */
export async function onionClientAuthAdd(
  control: TorControlClient,
  credentials: OnionClientAuthCredentials,
  options: AbortOptions = {},
): Promise<void> {
  if (credentials.privateKey.length !== 32) {
    throw new RangeError(`an x25519 private key is 32 bytes, got ${credentials.privateKey.length}`);
  }
  const parts = [
    'ONION_CLIENT_AUTH_ADD',
    parseOnionAddress(credentials.address).serviceId,
    `x25519:${Buffer.from(credentials.privateKey).toString('base64')}`,
  ];
  if (credentials.clientName !== undefined) {
    if (!/^[A-Za-z0-9_-]{1,16}$/.test(credentials.clientName)) {
      throw new RangeError(
        `clientName must be 1-16 of A-Z a-z 0-9 - _, got ${JSON.stringify(credentials.clientName)}`,
      );
    }
    parts.push(`ClientName=${credentials.clientName}`);
  }
  if (credentials.permanent) parts.push('Flags=Permanent');
  await control.request(parts.join(' '), options);
}

/** ONION_CLIENT_AUTH_REMOVE (control-spec 3.31). Resolves also when no credential existed (251). */
export async function onionClientAuthRemove(
  control: TorControlClient,
  address: string,
  options: AbortOptions = {},
): Promise<void> {
  await control.request(`ONION_CLIENT_AUTH_REMOVE ${parseOnionAddress(address).serviceId}`, options);
}
