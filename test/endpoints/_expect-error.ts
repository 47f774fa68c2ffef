import { expect } from 'chai';
import { DescriptorError } from '../../src/endpoints/errors.js';

/** Runs `fn`, expects a DescriptorError at `position` whose message matches `pattern`, and returns it. */
export function expectDescriptorError(fn: () => unknown, position: number, pattern: RegExp): DescriptorError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a DescriptorError').to.be.instanceOf(DescriptorError);
  const error = caught as DescriptorError;
  expect(error.code).to.equal('ERR_DESCRIPTOR');
  expect(error.message).to.match(pattern);
  expect(error.position, error.message).to.equal(position);
  return error;
}
