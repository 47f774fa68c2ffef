/**
 * NURLs (url.rst): `pb://<spki-hash>@<host>:<port>/<swissnum>#v=1`, `pb+tor://` for onion services and
 * `pb+i2p://` for I2P destinations (whose port is optional). Hosts are never resolved here.
 *
 * @module
 */
import { portFromText } from '../../endpoints/host.js';
import { NurlParseError } from './errors.js';

/** The transport a NURL names. */
export type NurlScheme = 'pb' | 'pb+tor' | 'pb+i2p';

/** A parsed version-1 NURL. */
export interface Nurl {
  scheme: NurlScheme;
  /** Unpadded base64url SHA-256 of the server's SPKI. */
  spkiHash: string;
  /** Host name or IP (IPv6 without brackets). */
  host: string;
  /** Port; `undefined` only for I2P NURLs without one. */
  port: number | undefined;
  swissnum: string;
}

const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]+$/;
const HASH = /^[A-Za-z0-9_-]{43}$/;

/** Parses a version-1 NURL, throwing {@link NurlParseError} that names the bad part. */
export function parseNurl(text: string): Nurl {
  const m = /^(pb|pb\+tor|pb\+i2p):\/\/([^@/]+)@([^/]+)\/([^#/]+)(#.*)?$/.exec(text);
  if (!m) throw new NurlParseError(text, 'expected pb[+tor|+i2p]://<hash>@<host>:<port>/<swissnum>#v=1');
  const [, scheme, spkiHash = '', location = '', swissnum = '', fragment] = m;
  if (fragment !== '#v=1')
    throw new NurlParseError(text, `fragment must be #v=1 (a version-1 NURL), got ${fragment ?? 'none'}`);
  if (!HASH.test(spkiHash))
    throw new NurlParseError(text, 'the hash must be 43 characters of unpadded base64url (SHA-256)');
  if (!UNRESERVED.test(swissnum))
    throw new NurlParseError(text, 'the swissnum contains characters outside RFC 2396 "unreserved"');
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(location);
  if (v6) {
    host = v6[1] ?? '';
    portText = v6[2];
  } else {
    const colon = location.lastIndexOf(':');
    host = colon < 0 ? location : location.slice(0, colon);
    portText = colon < 0 ? undefined : location.slice(colon + 1);
    if (!/^[A-Za-z0-9.-]+$/.test(host)) throw new NurlParseError(text, `bad host ${JSON.stringify(host)}`);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    port = portFromText(portText);
    if (port === undefined) throw new NurlParseError(text, `bad port ${JSON.stringify(portText)}`);
  } else if (scheme !== 'pb+i2p') {
    throw new NurlParseError(text, 'a port is required');
  }
  if (scheme === 'pb+i2p' && !host.endsWith('.i2p'))
    throw new NurlParseError(text, 'a pb+i2p host must end in .i2p');
  if (scheme === 'pb+tor' && !host.endsWith('.onion'))
    throw new NurlParseError(text, 'a pb+tor host must be a .onion address');
  return { scheme: scheme as NurlScheme, spkiHash, host, port, swissnum };
}

/** Formats a NURL; the scheme defaults from the host (`.onion` → pb+tor, `.i2p` → pb+i2p, otherwise pb). */
export function formatNurl(nurl: Omit<Nurl, 'scheme'> & { scheme?: NurlScheme }): string {
  const scheme =
    nurl.scheme ?? (nurl.host.endsWith('.onion') ? 'pb+tor' : nurl.host.endsWith('.i2p') ? 'pb+i2p' : 'pb');
  const host = nurl.host.includes(':') ? `[${nurl.host}]` : nurl.host;
  const port = nurl.port === undefined ? '' : `:${nurl.port}`;
  return `${scheme}://${nurl.spkiHash}@${host}${port}/${nurl.swissnum}#v=1`;
}
