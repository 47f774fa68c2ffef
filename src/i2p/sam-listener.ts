/**
 * The accept loop behind `SamSession.listen`: keeps STREAM ACCEPTs pending and hands each incoming stream on.
 *
 * SAM 3.1 allows one pending ACCEPT per session (a second gets `ALREADY_ACCEPTING`); from SAM 3.2 several may
 * be pending at once (SAM v3 spec, "STREAM ACCEPT"). i2pd 2.45 speaks 3.1 (though, measured, it does not
 * enforce the rule), so the loop keeps to one ACCEPT and re-arms it as soon as a peer arrives; streams that
 * arrive in between wait in the router (8 simultaneous connects to one pending ACCEPT all succeed).
 *
 * @module
 */
import { sleep } from '../util/abort.js';
import { SamInvalidIdError } from './errors.js';
import type { SamStream } from './sam-stream.js';

/** Options of `SamSession.listen`. */
export interface SamListenOptions {
  /** Stops listening (pending ACCEPTs are closed); streams already handed out stay open. */
  signal?: AbortSignal;
  /**
   * Told about failed ACCEPTs (a peer that hung up before its destination line, a bad line) and about errors
   * thrown by `onStream`; the loop goes on. Repeated failures back off up to 5 s.
   */
  onError?: (error: Error) => void;
  /** Pending ACCEPTs kept at once on SAM 3.2+ (default 1; SAM 3.1 allows only one per session). */
  concurrency?: number;
}

/** A running accept loop. */
export interface SamListener {
  /** Stops the loop and closes its pending ACCEPT connections. */
  close(): void;
  /** Settles when the loop has stopped (after `close()`, the signal, or the session's end). */
  readonly done: Promise<void>;
}

/**
 * Runs `width` accept loops over `accept` until `signal` fires, `isOver()` turns true, or the bridge no longer
 * knows the session (INVALID_ID).
 */
export function runAcceptLoop(
  accept: (signal: AbortSignal) => Promise<SamStream>,
  isOver: () => boolean,
  width: number,
  onStream: (stream: SamStream) => void,
  options: SamListenOptions,
): SamListener {
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
  const report = (error: unknown): void => {
    options.onError?.(error instanceof Error ? error : new Error(String(error)));
  };
  const loop = async (): Promise<void> => {
    let failures = 0;
    while (!signal.aborted && !isOver()) {
      let stream: SamStream;
      try {
        stream = await accept(signal);
      } catch (error) {
        if (signal.aborted || isOver() || error instanceof SamInvalidIdError) return;
        report(error);
        failures += 1;
        // One failed ACCEPT is usually one bad peer: re-arm at once; back off only when failures repeat.
        if (failures > 1)
          await sleep(Math.min(5_000, 100 * 2 ** (failures - 2)), signal).catch(() => undefined);
        continue;
      }
      failures = 0;
      try {
        onStream(stream);
      } catch (error) {
        stream.destroy();
        report(error);
      }
    }
  };
  const done = Promise.all(Array.from({ length: Math.max(1, Math.floor(width)) }, loop)).then(
    () => undefined,
  );
  return { close: () => controller.abort(), done };
}
