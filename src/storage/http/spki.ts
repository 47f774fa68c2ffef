/**
 * The SPKI hash that pins a storage server in a NURL (http-storage-node-protocol.rst, "Summary"; RFC 7469 §2.4):
 * unpadded base64url of SHA-256 over the DER SubjectPublicKeyInfo of the server's certificate.
 *
 * @module
 */
import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';

/** The SPKI hash of a DER SubjectPublicKeyInfo. */
export function spkiHashOfSpki(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('base64url');
}

/** The DER SubjectPublicKeyInfo of a certificate (PEM text, DER bytes or a parsed certificate). */
export function certificateSpki(certificate: string | Uint8Array | X509Certificate): Uint8Array {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  return new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' }));
}

/** The SPKI hash of a certificate. */
export function certificateSpkiHash(certificate: string | Uint8Array | X509Certificate): string {
  return spkiHashOfSpki(certificateSpki(certificate));
}

/** Compares two SPKI hash strings in constant time (for equal lengths). */
export function spkiHashEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
