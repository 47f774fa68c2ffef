/**
 * Tor's bootstrap progress on the terminal: one line per new percentage on stderr (a TTY gets the line redrawn).
 *
 * @module
 */
import type { BootstrapStatus } from '../tor/events.js';

/** A progress callback printing `tor: bootstrapped N%: summary`. */
export function torProgressLine(
  stream: NodeJS.WriteStream = process.stderr,
): (status: BootstrapStatus) => void {
  let last = -1;
  return (status) => {
    if (status.progress === last && status.severity === 'NOTICE') return;
    last = status.progress;
    const text = `tor: bootstrapped ${status.progress}%: ${status.summary}${status.warning ? ` (${status.warning})` : ''}`;
    if (stream.isTTY) stream.write(`\r\x1b[K${text}${status.progress === 100 ? '\n' : ''}`);
    else stream.write(`${text}\n`);
  };
}
