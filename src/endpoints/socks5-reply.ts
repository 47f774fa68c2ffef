/**
 * A sans-IO reader of a SOCKS5 server's side of the CONNECT handshake, used to learn the reply code: the `socks`
 * package reports a refused request only as a message string, without the REP byte, so extended codes such as
 * Tor's 0xF0-0xF7 would be lost. The reader watches the same bytes and stops at the REP byte.
 *
 * Server-to-client grammar (RFC 1928 sections 3 and 6; RFC 1929 section 2):
 *
 *   method-reply = VER(0x05) METHOD                 ; METHOD 0xFF: no acceptable method
 *   auth-reply   = VER(0x01) STATUS                 ; only when METHOD = 0x02 (username/password)
 *   reply        = VER(0x05) REP RSV ATYP BND.ADDR BND.PORT
 *
 * @module
 */
import type { ErrorKind } from '../errors.js';
import { OnionServiceError, SocksProtocolError, SocksReplyError } from './errors.js';

/** What the reader has learnt so far. */
export type Socks5ReplyState =
  | { phase: 'method' }
  | { phase: 'auth'; method: number }
  | { phase: 'reply'; method: number }
  | { phase: 'done'; method: number; reply: number }
  | { phase: 'failed'; error: SocksProtocolError };

/** Reads the method, authentication status and REP byte of a SOCKS5 handshake from the server's bytes. */
export class Socks5ReplyReader {
  #state: Socks5ReplyState = { phase: 'method' };
  /** Bytes of the current 2-byte unit read so far (never more than 2: the buffer cap). */
  #pending: number[] = [];

  /** The current state; `done` carries the REP byte. */
  get state(): Socks5ReplyState {
    return this.#state;
  }

  /** The REP byte once read, else `undefined`. */
  get reply(): number | undefined {
    return this.#state.phase === 'done' ? this.#state.reply : undefined;
  }

  /** Feeds bytes from the server, in order, split anywhere. Bytes after the REP byte are ignored. */
  feed(chunk: Uint8Array): void {
    for (const byte of chunk) {
      if (this.#state.phase === 'done' || this.#state.phase === 'failed') return;
      this.#pending.push(byte);
      if (this.#pending.length < 2) continue;
      const [version = 0, value = 0] = this.#pending;
      this.#pending = [];
      this.#step(version, value);
    }
  }

  #step(version: number, value: number): void {
    this.#state = nextState(this.#state, version, value);
  }
}

/** The transition on one 2-byte unit (`VER`, `METHOD`/`STATUS`/`REP`) of the server's handshake bytes. */
function nextState(state: Socks5ReplyState, version: number, value: number): Socks5ReplyState {
  const failed = (message: string): Socks5ReplyState => ({
    phase: 'failed',
    error: new SocksProtocolError(message),
  });
  switch (state.phase) {
    case 'method':
      if (version !== 5) return failed(`SOCKS proxy answered with version ${version}, not 5`);
      if (value === 0xff) return failed('SOCKS proxy accepted none of our authentication methods');
      return value === 0x02 ? { phase: 'auth', method: value } : { phase: 'reply', method: value };
    case 'auth':
      if (version !== 1) return failed(`SOCKS proxy answered authentication with version ${version}, not 1`);
      if (value !== 0) return failed(`SOCKS proxy refused the username/password (status ${value})`);
      return { phase: 'reply', method: state.method };
    case 'reply':
      if (version !== 5) return failed(`SOCKS proxy replied with version ${version}, not 5`);
      return { phase: 'done', method: state.method, reply: value };
    default:
      return state;
  }
}

/** What each SOCKS5 reply code means: RFC 1928 section 6, and Tor's extended codes (torspec proposal 304). */
export const SOCKS5_REPLY_REASONS: Readonly<Record<number, { reason: string; kind?: ErrorKind }>> = {
  1: { reason: 'general SOCKS server failure' },
  2: { reason: 'connection not allowed by ruleset (e.g. the exit policy)' },
  3: { reason: 'network unreachable' },
  4: { reason: 'host unreachable' },
  5: { reason: 'connection refused' },
  6: { reason: 'TTL expired (Tor: the circuit or connection timed out)' },
  7: { reason: 'command not supported' },
  8: { reason: 'address type not supported' },
  240: { reason: 'onion service descriptor not found (the service is offline or the address is wrong)' },
  241: { reason: 'onion service descriptor is invalid' },
  242: { reason: 'onion service introduction failed' },
  243: { reason: 'onion service rendezvous failed' },
  244: { reason: 'onion service needs client authorization, and none is configured', kind: 'config' },
  245: { reason: 'onion service client authorization was refused (wrong or revoked key)', kind: 'config' },
  246: { reason: 'onion service address is invalid', kind: 'input' },
  247: { reason: 'onion service introduction timed out' },
};

/** The typed error for a non-zero REP byte: {@link OnionServiceError} for 0xF0-0xF7, else {@link SocksReplyError}. */
export function socksReplyError(reply: number, destination: string, cause?: unknown): SocksReplyError {
  const known = SOCKS5_REPLY_REASONS[reply];
  const details = {
    reply,
    destination,
    reason: known?.reason ?? 'unknown reply code',
    ...(known?.kind === undefined ? {} : { kind: known.kind }),
  };
  const options = cause === undefined ? {} : { cause };
  return reply >= 0xf0 && reply <= 0xf7
    ? new OnionServiceError(details, options)
    : new SocksReplyError(details, options);
}
