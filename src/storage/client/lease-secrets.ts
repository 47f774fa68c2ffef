/**
 * Lease renew and cancel secrets, derived as Tahoe-LAFS does (`docs/specifications/lease.rst`): from the
 * client's lease secret (`private/secret`), the file's storage index and the server's lease seed (its tub id),
 * so a client can renew its leases later without keeping per-lease state.
 *
 * @module
 */
import {
  bucketCancelSecretHash,
  bucketRenewalSecretHash,
  fileCancelSecretHash,
  fileRenewalSecretHash,
  myCancelSecretHash,
  myRenewalSecretHash,
} from '../../crypto/hashutil.js';

/** The renew and cancel secrets of one lease. */
export interface LeaseSecretPair {
  renewSecret: Uint8Array;
  cancelSecret: Uint8Array;
}

/** Derives per-file, per-server lease secrets from one client lease secret. */
export class LeaseSecrets {
  readonly #clientRenewal: Uint8Array;
  readonly #clientCancel: Uint8Array;

  /** @param leaseSecret - the client's secret (Tahoe keeps it base32 in `private/secret`). */
  constructor(leaseSecret: Uint8Array) {
    this.#clientRenewal = myRenewalSecretHash(leaseSecret);
    this.#clientCancel = myCancelSecretHash(leaseSecret);
  }

  /** The secrets for the lease on `storageIndex`'s shares held by the server whose lease seed is `leaseSeed`. */
  forServer(storageIndex: Uint8Array, leaseSeed: Uint8Array): LeaseSecretPair {
    return {
      renewSecret: bucketRenewalSecretHash(
        fileRenewalSecretHash(this.#clientRenewal, storageIndex),
        leaseSeed,
      ),
      cancelSecret: bucketCancelSecretHash(fileCancelSecretHash(this.#clientCancel, storageIndex), leaseSeed),
    };
  }
}
