/**
 * The port audit of the end-to-end anonymity tests: after a {@link LeakGuard} has recorded every connection a
 * node made, each TCP connection must have gone to one of a few known local ports (a tor's SOCKS or control
 * port, a SAM bridge, a web gateway), never straight to a storage server.
 *
 * @module
 */
import { expect } from 'chai';
import type { Destination, LeakGuard } from '../../test/support/leak-guard.js';

/** A recorded TCP connection. */
export type TcpDestination = Extract<Destination, { kind: 'tcp' }>;

/** The TCP connections `guard` recorded, in order. */
export function tcpAttempts(guard: LeakGuard): TcpDestination[] {
  return guard.attempts.filter((a): a is TcpDestination => a.kind === 'tcp');
}

/**
 * Asserts that `guard` recorded at least one TCP connection and that every one went to a port in `allowed`.
 *
 * @param what - names the allowed ports in the failure message (e.g. "a tor or a gateway")
 */
export function expectOnlyAllowedPorts(guard: LeakGuard, allowed: ReadonlySet<number>, what: string): void {
  const tcp = tcpAttempts(guard);
  expect(tcp.length, 'connections recorded').to.be.above(0);
  for (const attempt of tcp) {
    expect(
      allowed.has(attempt.port),
      `connection to ${attempt.host}:${attempt.port} is not to ${what}`,
    ).to.equal(true);
  }
}
