import { getEventListeners, once } from 'node:events';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import {
  abortErrorOf,
  combineSignals,
  onAbort,
  raceAbort,
  scopedSignal,
  sleep,
  throwIfAborted,
} from '../../src/util/abort.js';
import { rejection } from '../support/rejection.js';

/** The error `throwIfAborted` throws for `signal`. */
function thrownBy(signal: AbortSignal, what: string): AbortError {
  try {
    throwIfAborted(signal, what);
  } catch (error) {
    expect(error).to.be.instanceOf(AbortError);
    return error as AbortError;
  }
  return expect.fail('throwIfAborted did not throw');
}

/** A signal whose combineSignals deadline has already passed (waits for the event, asserts no timing). */
async function timedOut(what: string): Promise<AbortSignal> {
  const signal = combineSignals({ timeoutMs: 1 }, what);
  if (signal === undefined) return expect.fail('combineSignals returned no signal');
  if (!signal.aborted) await once(signal, 'abort');
  return signal;
}

describe('util/abort: one wording for timeouts and cancellation', () => {
  it('a deadline reads "<what> timed out after N ms" from throwIfAborted, raceAbort, abortErrorOf and sleep', async () => {
    const signal = await timedOut('waiting for the test');
    const expected = 'waiting for the test timed out after 1 ms';
    expect(thrownBy(signal, 'the step').message).to.equal(expected);
    expect((await rejection(raceAbort(new Promise(() => undefined), signal, 'the step'))).message).to.equal(
      expected,
    );
    expect(abortErrorOf(signal, 'the step').message).to.equal(expected);
    expect((await rejection(sleep(60_000, signal))).message).to.equal(expected);
    // All four hand back the very error the deadline fired with.
    expect(thrownBy(signal, 'the step')).to.equal(signal.reason);
  });

  it('a deadline that fires during the wait reads the same as one that had already fired', async () => {
    const signal = combineSignals({ timeoutMs: 5 }, 'the slow thing');
    const during = await rejection(raceAbort(new Promise(() => undefined), signal, 'the step'));
    const after = thrownBy(signal as AbortSignal, 'the step');
    expect(during.message).to.equal('the slow thing timed out after 5 ms');
    expect(after.message).to.equal(during.message);
  });

  it('a cancellation reads "<what> was aborted" with the reason as cause, before and during the wait', async () => {
    const reason = new Error('user pressed stop');
    const before = new AbortController();
    before.abort(reason);
    const thrown = thrownBy(before.signal, 'the step');
    expect(thrown.message).to.equal('the step was aborted');
    expect(thrown.cause).to.equal(reason);

    const during = new AbortController();
    const raced = raceAbort(new Promise(() => undefined), during.signal, 'the step');
    const slept = sleep(60_000, during.signal);
    during.abort(reason);
    for (const error of [await rejection(raced), await rejection(slept)]) {
      expect(error).to.be.instanceOf(AbortError);
      expect(error.cause).to.equal(reason);
    }
    expect((await rejection(raceAbort(Promise.resolve(1), during.signal, 'the step'))).message).to.equal(
      'the step was aborted',
    );
    expect((await rejection(sleep(1, during.signal))).message).to.equal('sleep was aborted');
  });

  it('a caller signal aborted with an AbortError passes that error through unchanged', () => {
    const own = new AbortError('the introducer client was closed');
    const controller = new AbortController();
    controller.abort(own);
    expect(thrownBy(controller.signal, 'the step')).to.equal(own);
    expect(abortErrorOf(controller.signal, 'the step')).to.equal(own);
  });

  it('does nothing without a signal or before it fires', async () => {
    expect(() => throwIfAborted(undefined)).to.not.throw();
    expect(() => throwIfAborted(new AbortController().signal)).to.not.throw();
    expect(await raceAbort(Promise.resolve(7), new AbortController().signal)).to.equal(7);
    await sleep(0);
  });
});

describe('scopedSignal', () => {
  it('returns the caller signal itself when there is no timeout', () => {
    const controller = new AbortController();
    const scoped = scopedSignal({ signal: controller.signal });
    expect(scoped.signal).to.equal(controller.signal);
    scoped.dispose();
    expect(scopedSignal({}).signal).to.equal(undefined);
  });

  it('fires with a timeout AbortError naming the operation', async () => {
    const scoped = scopedSignal({ timeoutMs: 5 }, 'the read');
    await sleep(30);
    expect(scoped.signal?.aborted).to.equal(true);
    expect(abortErrorOf(scoped.signal as AbortSignal).message).to.equal('the read timed out after 5 ms');
    scoped.dispose();
  });

  it('passes on the caller signal firing, and an already fired one', () => {
    const controller = new AbortController();
    const scoped = scopedSignal({ signal: controller.signal, timeoutMs: 60_000 });
    const other = scopedSignal({ signal: controller.signal, timeoutMs: 60_000 });
    controller.abort('stop');
    expect(scoped.signal?.reason).to.equal('stop');
    expect(other.signal?.reason).to.equal('stop');
    scoped.dispose();
    other.dispose();
    const late = scopedSignal({ signal: controller.signal, timeoutMs: 60_000 });
    expect(late.signal?.aborted).to.equal(true);
    late.dispose();
  });

  it('leaves no timer and no listener behind once disposed', async () => {
    const controller = new AbortController();
    const scoped = Array.from({ length: 20 }, () =>
      scopedSignal({ signal: controller.signal, timeoutMs: 5 }),
    );
    // One listener serves every scope (no too-many-listeners warning for a transfer's many requests).
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
    for (const s of scoped) s.dispose();
    // The timers were cleared (they would have fired by now), and the caller's signal is no longer followed.
    await sleep(30);
    controller.abort('late');
    expect(scoped.every((s) => s.signal?.aborted === false)).to.equal(true);
  });

  it('refuses a timeout that is not positive', () => {
    expect(() => scopedSignal({ timeoutMs: 0 })).to.throw(RangeError, /timeoutMs must be > 0, got 0/);
  });
});

describe('onAbort: many waits under one signal', () => {
  it('raceAbort and sleep share one listener, and all of them reject when the signal fires', async () => {
    const controller = new AbortController();
    const never = new Promise<void>(() => undefined);
    const waits = [
      ...Array.from({ length: 15 }, () => raceAbort(never, controller.signal, 'a race')),
      ...Array.from({ length: 15 }, () => sleep(60_000, controller.signal)),
    ];
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
    controller.abort('stop');
    const errors = await Promise.all(waits.map((w) => rejection(w)));
    expect(errors.every((e) => e instanceof AbortError)).to.equal(true);
  });

  it('a settled wait is no longer called: an abort after it changes nothing', async () => {
    const controller = new AbortController();
    let calls = 0;
    const cancel = onAbort(controller.signal, () => calls++);
    onAbort(controller.signal, () => calls++);
    cancel();
    expect(await raceAbort(Promise.resolve(7), controller.signal)).to.equal(7);
    controller.abort();
    expect(calls).to.equal(1);
  });
});
