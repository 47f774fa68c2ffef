/**
 * Control-port authentication (control-spec 3.5 AUTHENTICATE, 3.21 PROTOCOLINFO, 3.24 AUTHCHALLENGE).
 *
 * PROTOCOLINFO tells which methods Tor accepts; we pick the best one we can use: NULL, then SAFECOOKIE (which
 * also proves the server knows the cookie: its hash is checked in constant time), then COOKIE (only when
 * SAFECOOKIE is not offered), then HASHEDPASSWORD (when a password is given). Tor closes the connection after a
 * failed AUTHENTICATE, so the choice is made before anything is sent.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type AbortOptions, combineSignals } from '../util/abort.js';
import { type ProtocolInfo, protocolInfo } from './commands.js';
import type { TorControlClient } from './control-client.js';
import {
  TorAuthenticationError,
  TorControlError,
  TorProtocolError,
  TorSafeCookieMismatchError,
} from './errors.js';
import { parseArguments, quoteString } from './quoting.js';

/** HMAC key for the hash the server sends (control-spec 3.24). */
export const SAFECOOKIE_SERVER_KEY = 'Tor safe cookie authentication server-to-controller hash';
/** HMAC key for the hash the controller sends (control-spec 3.24). */
export const SAFECOOKIE_CLIENT_KEY = 'Tor safe cookie authentication controller-to-server hash';
/** Every Tor authentication cookie is exactly 32 bytes (control-spec 3.21). */
export const COOKIE_LENGTH = 32;

/** The authentication methods we implement, best first. */
export type TorAuthMethod = 'NULL' | 'SAFECOOKIE' | 'COOKIE' | 'HASHEDPASSWORD';

/**
 * The two SAFECOOKIE hashes: HMAC-SHA256(key, cookie | clientNonce | serverNonce) with the server and controller
 * keys of control-spec 3.24.
 */
export function safeCookieHashes(
  cookie: Uint8Array,
  clientNonce: Uint8Array,
  serverNonce: Uint8Array,
): { serverHash: Buffer; clientHash: Buffer } {
  const mac = (key: string): Buffer =>
    createHmac('sha256', key).update(cookie).update(clientNonce).update(serverNonce).digest();
  return { serverHash: mac(SAFECOOKIE_SERVER_KEY), clientHash: mac(SAFECOOKIE_CLIENT_KEY) };
}

/** Reads a cookie file, insisting on exactly 32 bytes (a larger file is not read past 33 bytes). */
export async function readCookieFile(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(COOKIE_LENGTH + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead !== COOKIE_LENGTH) {
      throw new TorAuthenticationError(
        `the Tor cookie file ${path} is ${bytesRead > COOKIE_LENGTH ? 'longer' : `${bytesRead} bytes, not`} ` +
          `than ${COOKIE_LENGTH} bytes`,
      );
    }
    return buffer.subarray(0, COOKIE_LENGTH);
  } finally {
    await handle.close();
  }
}

/** Options of {@link authenticate}. */
export interface AuthenticateOptions extends AbortOptions {
  /** The control password (for HASHEDPASSWORD). */
  password?: string;
  /** Read the cookie from this file instead of the one PROTOCOLINFO names. */
  cookieFile?: string;
}

/** What {@link authenticate} did. */
export interface AuthenticationResult {
  /** The method used. */
  readonly method: TorAuthMethod;
  /** Tor's PROTOCOLINFO answer (version, methods, cookie file). */
  readonly protocolInfo: ProtocolInfo;
}

/** Authenticates a fresh control connection (PROTOCOLINFO, then the best usable method). */
export async function authenticate(
  control: TorControlClient,
  options: AuthenticateOptions = {},
): Promise<AuthenticationResult> {
  const signal = combineSignals(options, 'Tor control authentication');
  const callOptions = { signal };
  const info = await protocolInfo(control, callOptions);
  const offered = new Set(info.authMethods);
  const reasons: string[] = [];
  let method: TorAuthMethod | undefined;
  let cookie: Buffer | undefined;
  const cookieFile = options.cookieFile ?? info.cookieFile;
  if (offered.has('NULL')) method = 'NULL';
  if (!method && (offered.has('SAFECOOKIE') || offered.has('COOKIE'))) {
    // The cookie is read only now: PROTOCOLINFO has answered, so a restarted Tor has written its new cookie.
    if (cookieFile === undefined) reasons.push('Tor named no cookie file');
    else {
      try {
        cookie = await readCookieFile(cookieFile);
        method = offered.has('SAFECOOKIE') ? 'SAFECOOKIE' : 'COOKIE';
      } catch (error) {
        reasons.push(
          error instanceof TorAuthenticationError ? error.message : `cannot read ${cookieFile}: ${error}`,
        );
      }
    }
  }
  if (!method && offered.has('HASHEDPASSWORD')) {
    if (options.password !== undefined) method = 'HASHEDPASSWORD';
    else reasons.push('Tor wants a password and none is configured');
  }
  if (!method) {
    throw new TorAuthenticationError(
      `cannot authenticate to Tor (it offers ${info.authMethods.join(', ') || 'nothing'}): ${reasons.join('; ')}`,
    );
  }
  try {
    if (method === 'NULL') await control.request('AUTHENTICATE', callOptions);
    else if (method === 'COOKIE')
      await control.request(`AUTHENTICATE ${cookie!.toString('hex')}`, callOptions);
    else if (method === 'HASHEDPASSWORD') {
      await control.request(
        `AUTHENTICATE ${quoteString(options.password!, 'Tor control password')}`,
        callOptions,
      );
    } else await safeCookie(control, cookie!, cookieFile!, signal);
  } catch (error) {
    if (error instanceof TorControlError) {
      throw new TorAuthenticationError(
        `Tor refused ${method} authentication: ${error.status} ${error.replyText}`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return { method, protocolInfo: info };
}

async function safeCookie(
  control: TorControlClient,
  cookie: Buffer,
  cookieFile: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  const clientNonce = randomBytes(32);
  const reply = await control.request(`AUTHCHALLENGE SAFECOOKIE ${clientNonce.toString('hex')}`, { signal });
  const args = parseArguments(reply.lines[reply.lines.length - 1]!.text).keyed;
  const serverHashHex = args.get('SERVERHASH') ?? '';
  const serverNonceHex = args.get('SERVERNONCE') ?? '';
  if (!/^[0-9A-Fa-f]{64}$/.test(serverHashHex) || !/^[0-9A-Fa-f]{64}$/.test(serverNonceHex)) {
    throw new TorProtocolError(`malformed AUTHCHALLENGE reply ${JSON.stringify(reply.lines[0]?.text)}`);
  }
  const { serverHash, clientHash } = safeCookieHashes(
    cookie,
    clientNonce,
    Buffer.from(serverNonceHex, 'hex'),
  );
  if (!timingSafeEqual(serverHash, Buffer.from(serverHashHex, 'hex'))) {
    await control.close();
    throw new TorSafeCookieMismatchError(cookieFile);
  }
  await control.request(`AUTHENTICATE ${clientHash.toString('hex')}`, { signal });
}
