/**
 * Awaiting a promise that must fail, for tests that then check the error's class, code and message.
 *
 * @module
 */
import { expect } from 'chai';

/**
 * Resolves with what `promise` rejects with; fails the test (with `message`) if it fulfils instead.
 *
 * @param promise - the operation expected to fail
 * @param message - the assertion message when it does not
 */
export async function rejection(promise: Promise<unknown>, message = 'expected a rejection'): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  expect.fail(message);
}
