/**
 * When a lease has expired, as Tahoe's lease expirer decides it (docs/garbage-collection.rst, storage/expirer.py):
 *
 * - `age` mode: a lease expires when its own expiration time has passed, or - with
 *   `expire.override_lease_duration` - when more than that many seconds have passed since it was granted or
 *   last renewed (grant time = expiration time - 31 days).
 * - `cutoff-date` mode: a lease expires when it was granted or last renewed before the cutoff date.
 *
 * Expiration is off by default; `sharetypes` limits it to immutable and/or mutable shares.
 *
 * @module
 */
import type { ShareKind } from '../backend/backend.js';
import { LEASE_DURATION_SECONDS, type LeaseRecord } from '../backend/lease-record.js';

/** The `[storage] expire.*` settings. */
export interface ExpirationPolicy {
  enabled: boolean;
  mode: 'age' | 'cutoff-date';
  /** Age mode: lease lifetime to assume instead of the recorded expiration (seconds). */
  overrideLeaseDurationSeconds?: number;
  /** Cutoff-date mode: seconds since the epoch. */
  cutoffDate?: number;
  /** Which share kinds expiration applies to (default both). */
  sharetypes?: readonly ShareKind[];
}

/** Tahoe's defaults: expiration disabled, age mode, both share kinds. */
export const DEFAULT_EXPIRATION_POLICY: ExpirationPolicy = { enabled: false, mode: 'age' };

/** Validates a policy, throwing `RangeError` with the offending setting. */
export function checkPolicy(policy: ExpirationPolicy): ExpirationPolicy {
  if (policy.mode !== 'age' && policy.mode !== 'cutoff-date')
    throw new RangeError(`expire.mode must be age or cutoff-date, got ${String(policy.mode)}`);
  if (policy.mode === 'cutoff-date' && policy.enabled && policy.cutoffDate === undefined) {
    throw new RangeError('expire.mode = cutoff-date needs expire.cutoff_date');
  }
  if (policy.overrideLeaseDurationSeconds !== undefined && !(policy.overrideLeaseDurationSeconds > 0)) {
    throw new RangeError(
      `expire.override_lease_duration must be positive, got ${policy.overrideLeaseDurationSeconds}`,
    );
  }
  return policy;
}

/** When the lease was granted or last renewed (Tahoe's get_grant_renew_time_time). */
export function grantRenewTime(lease: LeaseRecord): number {
  return lease.expirationTime - LEASE_DURATION_SECONDS;
}

/** Whether `policy` applies to shares of `kind` at all. */
export function appliesTo(policy: ExpirationPolicy, kind: ShareKind): boolean {
  return policy.enabled && (policy.sharetypes ?? ['immutable', 'mutable']).includes(kind);
}

/** Whether `lease` has expired at time `now` (seconds). */
export function isLeaseExpired(policy: ExpirationPolicy, lease: LeaseRecord, now: number): boolean {
  if (policy.mode === 'cutoff-date')
    return grantRenewTime(lease) < (policy.cutoffDate ?? Number.NEGATIVE_INFINITY);
  if (policy.overrideLeaseDurationSeconds !== undefined)
    return now - grantRenewTime(lease) > policy.overrideLeaseDurationSeconds;
  return now > lease.expirationTime;
}
