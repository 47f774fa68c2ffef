/**
 * Minimal HTML helpers for the gateway's human pages.
 *
 * @module
 */

/** Escapes text for use in HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A complete page with `title` and pre-escaped `body` HTML. */
export function htmlPage(title: string, body: string): string {
  return (
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n` +
    `<body><h1>${escapeHtml(title)}</h1>\n${body}\n</body></html>\n`
  );
}

/** Formats seconds since the epoch (or `null`) for a page. */
export function showTime(seconds: number | null): string {
  return seconds === null ? 'N/A' : new Date(seconds * 1000).toISOString();
}
