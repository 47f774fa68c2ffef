/**
 * Key derivations for SDMF/MDMF mutable files from an RSA-2048 signing key (Tahoe `mutable/common.py`
 * `derive_mutable_keys`, `crypto/rsa.py`; spec `docs/specifications/mutable.rst`, "Key Management").
 *
 * The write key hashes the private key serialised as PKCS#8 DER; the fingerprint hashes the public key as DER
 * SubjectPublicKeyInfo (the serialisations Tahoe's `der_string_from_signing_key` and
 * `der_string_from_verifying_key` produce). Everything else follows from the write key:
 * read key → storage index; write key → write-enabler master → per-server write enabler.
 *
 * @module
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { InvalidKeyError } from './errors.js';
import {
  sskPubkeyFingerprintHash,
  sskReadkeyHash,
  sskStorageIndexHash,
  sskWriteEnablerMasterHash,
  sskWritekeyHash,
} from './hashutil.js';

/** All secrets and identifiers derived from a mutable file's RSA key pair. */
export interface SskKeys {
  /** PKCS#8 DER of the private key (what Tahoe stores, encrypted with the write key, in each share). */
  privateKeyDer: Uint8Array;
  /** DER SubjectPublicKeyInfo of the public key (stored in each share). */
  publicKeyDer: Uint8Array;
  /** 16-byte write key (in write caps). */
  writekey: Uint8Array;
  /** 16-byte read key (in read-only caps). */
  readkey: Uint8Array;
  /** 16-byte storage index. */
  storageIndex: Uint8Array;
  /** 32-byte public-key fingerprint (in every cap of the file). */
  fingerprint: Uint8Array;
  /** 32-byte write-enabler master secret. */
  writeEnablerMaster: Uint8Array;
}

/**
 * Parses an RSA private key from PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or PKCS#8 DER bytes.
 * Throws {@link InvalidKeyError} if it cannot be parsed or is not RSA.
 */
export function parseRsaPrivateKey(key: string | Uint8Array): KeyObject {
  let object: KeyObject;
  try {
    object =
      typeof key === 'string'
        ? createPrivateKey({ key, format: 'pem' })
        : createPrivateKey({ key: Buffer.from(key), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new InvalidKeyError('cannot parse the RSA private key (expected PEM, or PKCS#8 DER)', { cause });
  }
  if (object.asymmetricKeyType !== 'rsa') {
    throw new InvalidKeyError(`expected an RSA private key, got ${object.asymmetricKeyType ?? 'unknown'}`);
  }
  return object;
}

/** Derives every SSK key and identifier from an RSA private key (a parsed `KeyObject`, PEM or PKCS#8 DER). */
export function deriveSskKeys(privateKey: KeyObject | string | Uint8Array): SskKeys {
  const key =
    typeof privateKey === 'string' || privateKey instanceof Uint8Array
      ? parseRsaPrivateKey(privateKey)
      : privateKey;
  if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
    throw new InvalidKeyError('deriveSskKeys needs an RSA private key');
  }
  const privateKeyDer = new Uint8Array(key.export({ format: 'der', type: 'pkcs8' }));
  const publicKeyDer = new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
  const writekey = sskWritekeyHash(privateKeyDer);
  const readkey = sskReadkeyHash(writekey);
  return {
    privateKeyDer,
    publicKeyDer,
    writekey,
    readkey,
    storageIndex: sskStorageIndexHash(readkey),
    fingerprint: sskPubkeyFingerprintHash(publicKeyDer),
    writeEnablerMaster: sskWriteEnablerMasterHash(writekey),
  };
}
