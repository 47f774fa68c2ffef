/**
 * Waiting for a writable stream to take more data without waiting forever: a stream that is destroyed while
 * its buffer is full never emits 'drain', but it does emit 'close'.
 *
 * @module
 */
import type { EventEmitter } from 'node:events';

/** Resolves on 'drain' or 'close', whichever comes first, leaving no listener behind. */
export function drainOrClose(stream: EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
