/**
 * Progress display for long transfers: a one-line bar redrawn on standard error when it is a terminal, and
 * nothing otherwise (so scripts and `--json` output stay clean).
 *
 * @module
 */
import type { TransferProgress } from '../storage/client/grid.js';

const WIDTH = 30;

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Returns an `onProgress` callback drawing a bar on `stream` (a TTY), plus `done()` to end the line. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  onProgress: ((p: TransferProgress) => void) | undefined;
  done: () => void;
} {
  if (!stream.isTTY) return { onProgress: undefined, done: () => undefined };
  let lastDraw = 0;
  let phase: string | undefined;
  const draw = (p: TransferProgress): void => {
    const fraction = p.total ? Math.min(1, p.done / p.total) : 0;
    const filled = Math.round(fraction * WIDTH);
    const bar = p.total
      ? `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${(fraction * 100).toFixed(0)}%`
      : '';
    stream.write(
      `\r${p.phase.padEnd(11)} ${bar} ${mib(p.done)}${p.total ? ` of ${mib(p.total)}` : ''}\x1b[K`,
    );
  };
  return {
    onProgress: (p) => {
      const now = Date.now();
      const finished = p.total !== undefined && p.done >= p.total;
      if (p.phase !== phase && phase !== undefined) stream.write('\n');
      if (p.phase !== phase || finished || now - lastDraw > 100) {
        draw(p);
        lastDraw = now;
      }
      phase = p.phase;
    },
    done: () => {
      if (phase !== undefined) stream.write('\n');
      phase = undefined;
    },
  };
}
