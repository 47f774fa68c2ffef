/**
 * The value of `GETINFO net/listeners/socks` (control-spec 3.9): space-separated QuotedStrings such as
 * `"127.0.0.1:9050" "unix:/run/tor/socks"`.
 *
 * @module
 */
import { readQuoted } from './quoting.js';

/** A SOCKS listener of Tor. */
export type SocksAddress = { readonly host: string; readonly port: number } | { readonly unixPath: string };

/** Parses the listener list; entries that are neither `HOST:PORT` nor `unix:PATH` are skipped. */
export function parseSocksListeners(value: string): SocksAddress[] {
  const out: SocksAddress[] = [];
  let i = 0;
  while (i < value.length) {
    if (value[i] === ' ') {
      i++;
      continue;
    }
    let item: string;
    if (value[i] === '"') {
      const q = readQuoted(value, i);
      item = q.value;
      i = q.end;
    } else {
      const end = value.indexOf(' ', i);
      item = value.slice(i, end === -1 ? value.length : end);
      i = end === -1 ? value.length : end;
    }
    if (item.startsWith('unix:')) {
      out.push({ unixPath: item.slice(5) });
      continue;
    }
    const m = /^\[?([^\]]+?)\]?:([0-9]{1,5})$/.exec(item);
    if (m) out.push({ host: m[1]!, port: Number(m[2]) });
  }
  return out;
}
