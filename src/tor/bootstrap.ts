/**
 * Waiting for Tor to bootstrap (control-spec 4.1.10 STATUS_CLIENT BOOTSTRAP events, 3.9
 * `GETINFO status/bootstrap-phase`), with a deadline that counts from the last progress rather than from the
 * start: a slow but advancing bootstrap is fine, a stalled one fails.
 *
 * @module
 */
import { AbortError } from '../errors.js';
import { type AbortOptions, combineSignals, throwIfAborted } from '../util/abort.js';
import { getInfoOne } from './commands.js';
import type { TorControlClient } from './control-client.js';
import { TorBootstrapTimeoutError } from './errors.js';
import { type BootstrapStatus, bootstrapFromEvent, parseBootstrapStatus } from './events.js';

/** Options of {@link waitForBootstrap}. */
export interface WaitForBootstrapOptions extends AbortOptions {
  /** Fail when neither the progress nor the phase changes for this long (default 120 000 ms). */
  inactivityTimeoutMs?: number;
  /** Called with every bootstrap status, including the one current when waiting starts. */
  onProgress?: (status: BootstrapStatus) => void;
}

/**
 * Resolves with the final status once Tor reports 100%. Rejects with {@link TorBootstrapTimeoutError} (naming
 * where it stalled) after `inactivityTimeoutMs` without progress, `AbortError` on abort/`timeoutMs`, or
 * `TorConnectionClosedError`. Subscribes to STATUS_CLIENT for the duration only.
 */
export async function waitForBootstrap(
  control: TorControlClient,
  options: WaitForBootstrapOptions = {},
): Promise<BootstrapStatus> {
  const signal = combineSignals(options, 'waiting for tor to bootstrap');
  throwIfAborted(signal, 'waiting for tor to bootstrap');
  const limit = options.inactivityTimeoutMs ?? 120_000;
  if (!(limit > 0)) throw new RangeError(`inactivityTimeoutMs must be > 0, got ${limit}`);
  let last: BootstrapStatus = { progress: 0, tag: 'starting', summary: 'Starting', severity: 'NOTICE' };
  let resolveDone!: (status: BootstrapStatus) => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<BootstrapStatus>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => rejectDone(new TorBootstrapTimeoutError(limit, last.progress, last.tag, last.summary)),
      limit,
    );
  };
  const seen = (status: BootstrapStatus): void => {
    // repeated warnings at the same phase are not progress; a new percentage or phase is
    const advanced = status.progress !== last.progress || status.tag !== last.tag;
    if (status.progress >= last.progress) last = status;
    options.onProgress?.(status);
    if (advanced) arm();
    if (status.progress >= 100) resolveDone(status);
  };
  const onAbort = (): void =>
    rejectDone(new AbortError('waiting for tor to bootstrap was aborted', { cause: signal?.reason }));
  arm();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const subscription = await control.subscribe(
      'STATUS_CLIENT',
      (event) => {
        const status = bootstrapFromEvent(event);
        if (status) seen(status);
      },
      { signal },
    );
    try {
      const current = parseBootstrapStatus(await getInfoOne(control, 'status/bootstrap-phase', { signal }));
      if (current) seen(current);
      return await Promise.race([done, control.closed.then((e) => Promise.reject(e))]);
    } finally {
      if (!control.isClosed) await subscription.unsubscribe({ timeoutMs: 5000 }).catch(() => {});
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
