/**
 * The introducer's URL, which replaces Tahoe-LAFS's Foolscap `introducer.furl`. It keeps the fURL's shape, so
 * `[client] introducer.furl` and `private/introducers.yaml` accept it unchanged (Foolscap `pb://TUBID@HINTS/NAME`):
 *
 *     pb://<spki-hash>@<hint>[,<hint>...]/<swissnum>
 *
 * - `<spki-hash>`: unpadded base64url SHA-256 of the introducer's TLS SubjectPublicKeyInfo (43 characters, as in
 *   a NURL, http-storage-node-protocol.rst); the client pins it. A Foolscap tub id (32 base32 characters) is
 *   refused with a message saying so.
 * - `<hint>`: `tcp:HOST:PORT`, `tor:HOST.onion:PORT`, `i2p:HOST.i2p[:PORT]`, or a bare `HOST:PORT`
 *   (Foolscap's connection hints, docs/configuration.rst "Connection Management"); tried in order.
 * - `<swissnum>`: the secret that authorizes requests (sent as `Authorization: Tahoe-LAFS <base64>`).
 *
 * The NURL form `pb://<spki-hash>@HOST:PORT/<swissnum>#v=1` is accepted too (in YAML, where `#` is allowed).
 *
 * @module
 */
import { portFromText } from '../../endpoints/host.js';
import { IntroducerUrlError } from './errors.js';

/** One place the introducer listens. */
export interface IntroducerLocation {
  /** `tcp`, `tor` or `i2p`, as the hint said (bare `HOST:PORT` is `tcp`). */
  kind: 'tcp' | 'tor' | 'i2p';
  host: string;
  /** `undefined` only for I2P hints without a port. */
  port: number | undefined;
}

/** A parsed introducer URL. */
export interface IntroducerUrl {
  spkiHash: string;
  locations: IntroducerLocation[];
  swissnum: string;
}

const SPKI_HASH = /^[A-Za-z0-9_-]{43}$/;
const TUBID = /^[a-z2-7]{32}$/;
const SWISSNUM = /^[A-Za-z0-9\-_.!~*'()]{1,128}$/;
const HOST = /^[A-Za-z0-9.-]{1,255}$/;
const MAX_HINTS = 16;

/** The URL with its swissnum (the secret) replaced, for messages and logs. */
export function redactIntroducerUrl(url: string): string {
  return url.replace(/^(pb:\/\/[^@/]*@[^/]*\/)[^#]*/, '$1<secret>').slice(0, 600);
}

function parsePort(text: string | undefined, bad: (reason: string) => never): number {
  const port = text === undefined ? undefined : portFromText(text);
  if (port === undefined) bad(`bad port ${JSON.stringify(text ?? '')}`);
  return port;
}

function parseHint(hint: string, bad: (reason: string) => never): IntroducerLocation {
  const m = /^(?:(tcp|tor|i2p):)?(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+))(?::([^:]*))?$/.exec(hint);
  if (!m) bad(`cannot read the connection hint ${JSON.stringify(hint)}`);
  const kind = (m[1] ?? 'tcp') as IntroducerLocation['kind'];
  const host = m[2] ?? m[3] ?? '';
  if (m[3] !== undefined && !HOST.test(host)) bad(`bad host ${JSON.stringify(host)}`);
  if (kind === 'tor' && !host.endsWith('.onion')) bad(`a tor: hint needs a .onion host, got ${host}`);
  if (kind === 'i2p' && !host.endsWith('.i2p')) bad(`an i2p: hint needs a .i2p host, got ${host}`);
  if (kind === 'i2p' && m[4] === undefined) return { kind, host, port: undefined };
  return { kind, host, port: parsePort(m[4], bad) };
}

/** Parses an introducer URL, throwing {@link IntroducerUrlError} (with the swissnum redacted) that names the defect. */
export function parseIntroducerUrl(url: string): IntroducerUrl {
  const bad = (reason: string): never => {
    throw new IntroducerUrlError(redactIntroducerUrl(url), reason);
  };
  const m = /^pb:\/\/([^@/]+)@([^/]+)\/([^#/]+)(#.*)?$/.exec(url.trim());
  if (!m) return bad('expected pb://<spki-hash>@<hints>/<swissnum>');
  const [, id = '', hints = '', swissnum = '', fragment] = m;
  if (TUBID.test(id))
    bad(
      'this is a Foolscap fURL (a Tahoe-LAFS introducer); lafs introducers speak HTTPS: use the URL in the ' +
        "lafs introducer's private/introducer.furl",
    );
  if (!SPKI_HASH.test(id)) bad('the part before "@" must be a 43-character base64url SPKI hash');
  if (fragment !== undefined && fragment !== '#v=1') bad(`unknown fragment ${JSON.stringify(fragment)}`);
  if (!SWISSNUM.test(swissnum)) bad('the swissnum must be 1-128 characters of RFC 3986 "unreserved"');
  const parts = hints.split(',').filter((h) => h !== '');
  if (parts.length === 0) bad('no connection hints');
  if (parts.length > MAX_HINTS) bad(`${parts.length} connection hints; at most ${MAX_HINTS}`);
  return { spkiHash: id, locations: parts.map((h) => parseHint(h, bad)), swissnum };
}

/** Formats an introducer URL in the fURL-compatible form (no fragment). */
export function formatIntroducerUrl(url: IntroducerUrl): string {
  const hints = url.locations.map((l) => {
    const host = l.host.includes(':') ? `[${l.host}]` : l.host;
    return l.port === undefined ? `${l.kind}:${host}` : `${l.kind}:${host}:${l.port}`;
  });
  return `pb://${url.spkiHash}@${hints.join(',')}/${url.swissnum}`;
}

/** The location kind a host implies: `.onion` → tor, `.i2p` → i2p, otherwise tcp. */
export function kindOfHost(host: string): IntroducerLocation['kind'] {
  return host.endsWith('.onion') ? 'tor' : host.endsWith('.i2p') ? 'i2p' : 'tcp';
}
