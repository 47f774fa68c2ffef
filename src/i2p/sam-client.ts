/**
 * The SAM v3 client: stateless commands (HELLO, DEST GENERATE, NAMING LOOKUP) and SESSION CREATE.
 *
 * Each call opens its own connection to the bridge (SAM v3 spec: any command may follow HELLO on a fresh
 * connection), so calls never queue behind one another; a session keeps its control connection open for its
 * lifetime (see {@link SamSession}).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { type AbortOptions, combineSignals } from '../util/abort.js';
import { publicDestinationOf } from './destination.js';
import { SamProtocolError } from './errors.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOOKUP_TIMEOUT_MS,
  type SamBridgeOptions,
  SamConnection,
} from './sam-connection.js';
import { formatSamCommand, type SamParamValue } from './sam-message.js';
import { SamSession } from './sam-session.js';

/** Ed25519 (EdDSA_SHA512_Ed25519), the signature type every new destination should use. */
export const SIGNATURE_TYPE_ED25519 = 7;

/**
 * Default deadline for SESSION CREATE: i2pd 2.45 answers after ~20 s even with zero-hop tunnels (3 s from
 * 2.46); on the real network building the first tunnels can take a minute or more.
 */
export const DEFAULT_SESSION_CREATE_TIMEOUT_MS = 180_000;

/** A destination with its private keys, as DEST GENERATE returns it. */
export interface GeneratedDestination {
  /** The public destination (I2P base64): what peers connect to. */
  destination: string;
  /** The private-key blob (I2P base64): keep secret, mode 0600 (see `writePrivateKeyFile`). */
  privateKey: string;
}

/** Options of {@link SamClient.createSession}. */
export interface CreateSessionOptions extends AbortOptions {
  /** The session nickname, unique on the bridge (default: `lafs-` + 8 random hex digits). */
  id?: string;
  /** A private-key blob to reuse a long-term destination, or `'TRANSIENT'` (default) for a fresh one. */
  privateKey?: string;
  /** Signature type of a TRANSIENT destination (default 7, Ed25519). Ignored with a private key. */
  signatureType?: number;
  /**
   * I2CP and streaming options passed through verbatim (`inbound.length`, `i2cp.leaseSetType`...). On an
   * isolated single-router test network every session needs `inbound.length=0 outbound.length=0`.
   */
  options?: Readonly<Record<string, SamParamValue>>;
}

const RESERVED_SESSION_KEYS = new Set(['STYLE', 'ID', 'DESTINATION', 'SIGNATURE_TYPE', 'PORT', 'HOST']);

/** A client of one SAM bridge. */
export class SamClient {
  readonly bridge: Readonly<SamBridgeOptions>;

  constructor(bridge: SamBridgeOptions = {}) {
    this.bridge = { ...bridge };
  }

  /** Opens a connection and negotiates the version: a health check. Returns the version (`3.1` on i2pd). */
  async hello(options: AbortOptions = {}): Promise<string> {
    const connection = await SamConnection.open(this.bridge, options);
    connection.destroy();
    return connection.version;
  }

  /** Opens a HELLO-negotiated connection for a caller that drives it itself (sessions, streams). */
  open(options: AbortOptions = {}): Promise<SamConnection> {
    return SamConnection.open(this.bridge, options);
  }

  /**
   * `DEST GENERATE SIGNATURE_TYPE=7`: a fresh destination and its private keys (SAM v3 "DEST GENERATE").
   *
   * @throws SamProtocolError when the bridge's PRIV does not contain its PUB.
   */
  async generateDestination(
    options: AbortOptions & { signatureType?: number } = {},
  ): Promise<GeneratedDestination> {
    const signatureType = options.signatureType ?? SIGNATURE_TYPE_ED25519;
    return this.#withConnection(options, async (connection, signal) => {
      const reply = await connection.command(
        formatSamCommand('DEST', 'GENERATE', { SIGNATURE_TYPE: signatureType }),
        'dest-reply',
        'DEST GENERATE',
        { signal },
      );
      if (publicDestinationOf(reply.priv, 'DEST REPLY PRIV') !== reply.pub) {
        throw new SamProtocolError('DEST REPLY PRIV does not start with its PUB destination');
      }
      return { destination: reply.pub, privateKey: reply.priv };
    });
  }

  /**
   * `NAMING LOOKUP NAME=...`: resolves a host name, a `.b32.i2p` address or `ME` (inside a session) to a public
   * destination (SAM v3 "NAMING LOOKUP").
   *
   * @throws SamInvalidKeyError when the name is unknown (i2pd answers INVALID_KEY, Java I2P KEY_NOT_FOUND).
   */
  async lookup(name: string, options: AbortOptions = {}): Promise<string> {
    if (!/^[^\s"\\=]+$/.test(name))
      throw new RangeError(`I2P name to look up is malformed: ${JSON.stringify(name)}`);
    return this.#withConnection(
      { ...options, timeoutMs: options.timeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS },
      async (connection, signal) => {
        const reply = await connection.command(
          formatSamCommand('NAMING', 'LOOKUP', { NAME: name }),
          'naming-reply',
          `NAMING LOOKUP ${name}`,
          { signal },
        );
        if (!reply.value) throw new SamProtocolError(`NAMING REPLY for ${name} has no VALUE`);
        return reply.value;
      },
    );
  }

  /**
   * `SESSION CREATE STYLE=STREAM`: creates a stream session whose control connection stays open for the
   * session's life (SAM v3 "SESSION CREATE"). Default deadline {@link DEFAULT_SESSION_CREATE_TIMEOUT_MS}.
   *
   * Note: aborting a pending SESSION CREATE closes its connection, which makes i2pd 2.45 ignore a later
   * SIGTERM (the launcher then falls back to SIGKILL).
   *
   * @throws SamDuplicatedIdError, SamDuplicatedDestError, SamInvalidKeyError, SamI2pError; AbortError.
   */
  async createSession(options: CreateSessionOptions = {}): Promise<SamSession> {
    const id = options.id ?? `lafs-${randomBytes(4).toString('hex')}`;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) {
      throw new RangeError(
        `SAM session id must be 1-64 characters of [A-Za-z0-9_.-], got ${JSON.stringify(id)}`,
      );
    }
    const params: [string, SamParamValue][] = [
      ['STYLE', 'STREAM'],
      ['ID', id],
      ['DESTINATION', options.privateKey ?? 'TRANSIENT'],
    ];
    if (options.privateKey === undefined || options.privateKey === 'TRANSIENT') {
      params.push(['SIGNATURE_TYPE', options.signatureType ?? SIGNATURE_TYPE_ED25519]);
    } else {
      publicDestinationOf(options.privateKey, 'session private key');
    }
    for (const [key, value] of Object.entries(options.options ?? {})) {
      if (RESERVED_SESSION_KEYS.has(key.toUpperCase())) {
        throw new RangeError(`I2CP option ${key} is set by the SAM client itself; remove it from options`);
      }
      params.push([key, value]);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_SESSION_CREATE_TIMEOUT_MS;
    const connection = await SamConnection.open(this.bridge, { signal: options.signal });
    try {
      const reply = await connection.command(
        formatSamCommand('SESSION', 'CREATE', params),
        'session-status',
        `SESSION CREATE ${id}`,
        { signal: options.signal, timeoutMs },
      );
      const privateKey = reply.destination;
      if (!privateKey) throw new SamProtocolError(`SESSION STATUS for ${id} has no DESTINATION`);
      return new SamSession(this, connection, id, privateKey);
    } catch (error) {
      connection.destroy();
      throw error;
    }
  }

  async #withConnection<T>(
    options: AbortOptions,
    body: (connection: SamConnection, signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    const signal = combineSignals(
      {
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.bridge.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      },
      'SAM command',
    );
    const connection = await SamConnection.open(this.bridge, { signal });
    try {
      return await body(connection, signal);
    } finally {
      connection.destroy();
    }
  }
}
