/**
 * Redaction of secrets before anything reaches the node's log (issue #3: "logs with secrets and capabilities
 * redacted"; the idea of Arti's `safelog`). Applied to every string of every log event:
 *
 * - capabilities (`URI:CHK:...`, also `URI%3ACHK%3A...` in request paths): type kept, the rest hidden;
 * - fURLs, NURLs and introducer URLs (`pb://`, `pb+tor://`, `pb+i2p://`): the swissnum after the location;
 * - GBS secrets: `Authorization: Tahoe-LAFS <swissnum>` and `X-Tahoe-Authorization: <kind> <secret>`
 *   (http-storage-node-protocol.rst; lease renew/cancel secrets, upload secrets, write enablers);
 * - onion service private keys (`ED25519-V3:...`, `RSA1024:...`, Tor control-spec ADD_ONION);
 * - the node's Ed25519 key (`priv-v0-...`); I2P private keys (SAM `PRIV=`, `DESTINATION=<keys>`, and any
 *   base64 run of 600+ characters: I2P private key blobs are 880+; public destinations 516+);
 * - field values whose key names a secret (`secret`, `swissnum`, `password`, `privateKey`, ...).
 *
 * Network addresses are kept by default (an operator needs to know which server failed); with
 * `addresses: true` onion names, I2P names and IP addresses are replaced too (for logs that leave the machine).
 *
 * @module
 */
import { redactCap } from '../../storage/caps/redact.js';

/** Options of {@link redactText} and {@link redactFields}. */
export interface RedactOptions {
  /** Also hide onion and I2P names and IP addresses (default false). */
  addresses?: boolean;
}

const REDACTED = '<redacted>';

/** `[pattern, replacement]` pairs applied in order; each is global. */
const SECRET_PATTERNS: readonly [RegExp, string | ((match: string, ...groups: string[]) => string)][] = [
  // Onion service keys as ADD_ONION takes and returns them (control-spec: KeyType ":" KeyBlob).
  [/\b(ED25519-V3|RSA1024):[A-Za-z0-9+/=]+/g, `$1:${REDACTED}`],
  // Tahoe's node private key string.
  [/\bpriv-v0-[a-z2-7]+/gi, `priv-v0-${REDACTED}`],
  // fURLs, NURLs, introducer URLs: keep scheme, key hash or tub id, and location; hide the swissnum.
  [/\b(pb(?:\+tor|\+i2p)?:\/\/[^@/\s"'<>]*@[^/\s"'<>]*\/)[^\s#"'<>]+/gi, `$1${REDACTED}`],
  // GBS Authorization header value (swissnum) and X-Tahoe-Authorization secrets.
  [/\b(Tahoe-LAFS)\s+[A-Za-z0-9+/=_-]{16,}/g, `$1 ${REDACTED}`],
  [
    /\b(lease-renew-secret|lease-cancel-secret|upload-secret|write-enabler)(\s+|=|:\s*)[A-Za-z0-9+/=_-]{8,}/gi,
    `$1$2${REDACTED}`,
  ],
  // SAM private keys.
  [/\b(PRIV|DESTINATION)=([A-Za-z0-9~+/=-]{100,})/g, `$1=${REDACTED}`],
  // Capabilities, plain or percent-encoded in a URL.
  [
    /\bURI(?::|%3A)[A-Za-z0-9-]{1,24}(?:(?::|%3A)[A-Za-z0-9_-]*)+/gi,
    (match) => redactCap(match.replace(/%3A/gi, ':')),
  ],
  // Long key material of any base64 flavour (I2P private keys in files or errors).
  [/[A-Za-z0-9~+/=_-]{600,}/g, (match) => `<redacted key material, ${match.length} chars>`],
];

const ADDRESS_PATTERNS: readonly [RegExp, string][] = [
  [/\b[a-z2-7]{56}\.onion\b/gi, '<onion>'],
  [/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.i2p\b/gi, '<i2p>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\[[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*\]/g, '<ip>'],
];

/** Replaces every secret (and with `addresses`, every overlay name and IP address) in `text`. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) {
    out = out.replace(pattern, replacement as string);
  }
  if (options.addresses === true) {
    for (const [pattern, replacement] of ADDRESS_PATTERNS) out = out.replace(pattern, replacement);
  }
  return out;
}

/** Field names whose values are secrets whatever they look like. */
const SECRET_KEY =
  /secret|swissnum|password|passwd|private|privkey|enabler|convergence|authorization|cookie|token|credential/i;
/** Field names whose values are capabilities. */
const CAP_KEY = /^(cap|uri|filecap|dircap|readcap|writecap|rocap|rwcap)$/i;

/** Deepest nesting of fields copied into a log event; deeper values become a placeholder. */
const MAX_DEPTH = 6;
/** Most entries kept from one array or object. */
const MAX_ENTRIES = 100;

/**
 * A JSON-safe copy of `value` with every string redacted, secret-named keys hidden, and size bounded (depth
 * {@link MAX_DEPTH}, {@link MAX_ENTRIES} entries per level, strings cut at `maxString` characters).
 */
export function redactFields(value: unknown, options: RedactOptions = {}, maxString = 4096): unknown {
  const seen = new WeakSet<object>();
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') {
      const clean = redactText(v, options);
      return clean.length > maxString ? `${clean.slice(0, maxString)}…(${clean.length} chars)` : clean;
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
    if (typeof v === 'bigint') return v.toString();
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (v instanceof Uint8Array) return `<${v.length} bytes>`;
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Error) return walk(describeError(v), depth);
    if (typeof v !== 'object') return String(v);
    if (seen.has(v)) return '<circular>';
    if (depth >= MAX_DEPTH) return '<nested too deep>';
    seen.add(v);
    if (Array.isArray(v)) return v.slice(0, MAX_ENTRIES).map((item) => walk(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v).slice(0, MAX_ENTRIES)) {
      const copy =
        SECRET_KEY.test(key) && item !== undefined
          ? REDACTED
          : CAP_KEY.test(key) && typeof item === 'string'
            ? redactCap(item)
            : walk(item, depth + 1);
      if (copy !== undefined) out[key] = copy;
    }
    return out;
  };
  return walk(value, 0);
}

/** The parts of an error worth logging: name, stable code and kind, message, and its cause chain. */
export function describeError(error: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: error.message };
  const { code, kind } = error as { code?: unknown; kind?: unknown };
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (typeof kind === 'string') out.kind = kind;
  // A stack is noise for expected failures (LafsError of a non-bug kind) and gold for everything else.
  if (typeof kind !== 'string' || kind === 'bug') out.stack = error.stack;
  const causes: string[] = [];
  let cause: unknown = error.cause;
  while (cause !== undefined && causes.length < 5) {
    causes.push(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause));
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (causes.length > 0) out.causes = causes;
  return out;
}
