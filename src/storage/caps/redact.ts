/**
 * Redaction of capability strings for error messages and logs: caps are secrets, so only the type prefix and
 * the length are shown.
 *
 * @module
 */

/** `URI:CHK:<redacted, 97 chars>`-style rendering of a (possibly malformed) cap string. */
export function redactCap(cap: string): string {
  const match = /^(URI:[A-Za-z0-9-]{1,24}:)/.exec(cap);
  if (match?.[1]) return `${match[1]}<redacted, ${cap.length} chars>`;
  return `<redacted, ${cap.length} chars>`;
}
