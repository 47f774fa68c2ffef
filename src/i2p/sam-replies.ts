/**
 * Typed SAM v3 replies: the discriminated union a parsed line turns into, and the checks that turn a non-OK
 * result into a typed {@link SamError}.
 *
 * Reply forms follow the SAM v3 specification: `HELLO REPLY`, `SESSION STATUS`, `STREAM STATUS`,
 * `NAMING REPLY`, `DEST REPLY`, and the SAM 3.2 keep-alives `PING`/`PONG`.
 *
 * @module
 */
import { portFromText } from '../endpoints/host.js';
import { SamNoVersionError, SamProtocolError, samErrorFor } from './errors.js';
import { parseSamLine, type SamMessage } from './sam-message.js';

/** A reply from the SAM bridge, by kind. `result` is the raw `RESULT=` value (`OK` on success). */
export type SamReply =
  | { kind: 'hello'; result: string; version: string | undefined; message: string | undefined }
  | { kind: 'session-status'; result: string; destination: string | undefined; message: string | undefined }
  | { kind: 'stream-status'; result: string; message: string | undefined }
  | {
      kind: 'naming-reply';
      result: string;
      name: string | undefined;
      value: string | undefined;
      message: string | undefined;
    }
  | { kind: 'dest-reply'; pub: string; priv: string }
  | { kind: 'ping'; text: string }
  | { kind: 'pong'; text: string };

/** The `kind` values of {@link SamReply}. */
export type SamReplyKind = SamReply['kind'];

/** Turns a parsed line into a typed reply. @throws SamProtocolError for a line that is no known reply. */
export function toSamReply(message: SamMessage): SamReply {
  const p = message.params;
  const result = p.get('RESULT') ?? '';
  const text = p.get('MESSAGE');
  switch (`${message.verb} ${message.action}`) {
    case 'HELLO REPLY':
      return { kind: 'hello', result, version: p.get('VERSION'), message: text };
    case 'SESSION STATUS':
      return { kind: 'session-status', result, destination: p.get('DESTINATION'), message: text };
    case 'STREAM STATUS':
      return { kind: 'stream-status', result, message: text };
    case 'NAMING REPLY':
      return { kind: 'naming-reply', result, name: p.get('NAME'), value: p.get('VALUE'), message: text };
    case 'DEST REPLY': {
      const pub = p.get('PUB');
      const priv = p.get('PRIV');
      if (!pub || !priv) {
        throw new SamProtocolError(`DEST REPLY without PUB and PRIV${result ? ` (RESULT=${result})` : ''}`);
      }
      return { kind: 'dest-reply', pub, priv };
    }
    case 'PING ':
      return { kind: 'ping', text: message.text ?? '' };
    case 'PONG ':
      return { kind: 'pong', text: message.text ?? '' };
    default:
      throw new SamProtocolError(`unexpected SAM reply ${message.verb} ${message.action}`.trim());
  }
}

/** Parses a reply line straight into a {@link SamReply}. */
export function parseSamReply(line: string): SamReply {
  return toSamReply(parseSamLine(line));
}

/**
 * Checks that `reply` is of the expected kind and, where it has a result, that the result is `OK`.
 *
 * @param command - the command it answers, for error messages (`SESSION CREATE`).
 * @throws SamProtocolError for the wrong kind; the matching {@link SamError} subclass for a non-OK result
 *   (`NOVERSION` on a HELLO becomes {@link SamNoVersionError}).
 */
export function expectOk<K extends SamReplyKind>(
  reply: SamReply,
  kind: K,
  command: string,
): Extract<SamReply, { kind: K }> {
  if (reply.kind !== kind) {
    throw new SamProtocolError(`SAM ${command}: expected a ${kind} reply, got ${reply.kind}`);
  }
  if ('result' in reply && reply.result !== 'OK') {
    if (reply.result === '') throw new SamProtocolError(`SAM ${command}: ${kind} reply without RESULT`);
    if (reply.kind === 'hello' && reply.result === 'NOVERSION') {
      throw new SamNoVersionError(SAM_MIN_VERSION, SAM_MAX_VERSION, reply.message);
    }
    throw samErrorFor(command, reply.result, reply.message);
  }
  return reply as Extract<SamReply, { kind: K }>;
}

/** The lowest SAM version this client speaks: 3.1 adds SIGNATURE_TYPE (Ed25519 keys). */
export const SAM_MIN_VERSION = '3.1';
/** The highest SAM version this client asks for. */
export const SAM_MAX_VERSION = '3.3';

/**
 * The line a SAM bridge sends on an accepted stream before its payload (SAM v3 "STREAM ACCEPT", and on each
 * connection it opens for STREAM FORWARD): the peer's base64 destination, then from SAM 3.2 on
 * `FROM_PORT=n TO_PORT=n`.
 */
export interface SamPeerLine {
  /** The connecting peer's public destination (I2P base64). */
  destination: string;
  /** The I2CP source port (SAM 3.2+), if sent. */
  fromPort: number | undefined;
  /** The I2CP destination port (SAM 3.2+), if sent. */
  toPort: number | undefined;
}

/** Parses the peer line of an accepted or forwarded stream. @throws SamProtocolError when it is malformed. */
export function parsePeerLine(line: string): SamPeerLine {
  const words = line.trim().split(/\s+/);
  const destination = words[0] ?? '';
  if (!/^[A-Za-z0-9~-]+={0,2}$/.test(destination) || destination.length < 516) {
    throw new SamProtocolError(
      `expected the peer's destination on an accepted stream, got ${JSON.stringify(line.slice(0, 80))}`,
    );
  }
  let fromPort: number | undefined;
  let toPort: number | undefined;
  for (const word of words.slice(1)) {
    const eq = word.indexOf('=');
    if (eq < 0) continue;
    const key = word.slice(0, eq);
    const value = portFromText(word.slice(eq + 1), 0);
    if (value === undefined) continue;
    if (key === 'FROM_PORT') fromPort = value;
    if (key === 'TO_PORT') toPort = value;
  }
  return { destination, fromPort, toPort };
}
