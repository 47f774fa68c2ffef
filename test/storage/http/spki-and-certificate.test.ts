import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import {
  CERT_FILE,
  createSelfSignedCertificate,
  InsecureKeyFileError,
  KEY_FILE,
  loadOrCreateTlsIdentity,
  TlsIdentityFileError,
} from '../../../src/storage/http/certificate.js';
import {
  certificateSpki,
  certificateSpkiHash,
  spkiHashEqual,
  spkiHashOfSpki,
} from '../../../src/storage/http/spki.js';
import { sharedDir } from '../../support/paths.js';
import { rejection } from '../../support/rejection.js';
import { makeTempDir } from '../../support/temp-dirs.js';

interface Vector {
  'expected-hash': string;
  'expected-spki': string;
  certificate: string;
}

const vectors = (
  parse(readFileSync(join(sharedDir, 'vectors', 'spki-hash-test-vectors.yaml'), 'utf8')) as {
    vector: Vector[];
  }
).vector;

describe('SPKI hashes (RFC 7469 pins in NURLs)', () => {
  it('loads the published vectors', () => {
    expect(vectors.length).to.be.at.least(3);
  });

  vectors.forEach((v, i) => {
    it(`vector ${i}: SPKI bytes and hash match`, () => {
      const spki = certificateSpki(v.certificate);
      expect(Buffer.from(spki).toString('base64')).to.equal(v['expected-spki'].trim());
      expect(certificateSpkiHash(v.certificate)).to.equal(v['expected-hash'].trim());
      expect(spkiHashOfSpki(spki)).to.equal(v['expected-hash'].trim());
    });
  });

  it('compares hashes in constant time and rejects any difference', () => {
    const h = vectors[0]!['expected-hash'].trim();
    expect(spkiHashEqual(h, h)).to.equal(true);
    expect(spkiHashEqual(h, `${h.slice(0, -1)}A`)).to.equal(h.endsWith('A'));
    expect(spkiHashEqual(h, h.slice(1))).to.equal(false);
  });
});

describe('self-signed storage certificates', () => {
  it('are valid X.509 v3, correctly self-signed, and pinned by their SPKI hash', () => {
    const identity = createSelfSignedCertificate('test node');
    const cert = new X509Certificate(identity.certPem);
    expect(cert.verify(cert.publicKey)).to.equal(true);
    expect(cert.subject).to.equal('CN=test node');
    expect(cert.issuer).to.equal('CN=test node');
    expect(new Date(cert.validTo).getUTCFullYear()).to.equal(9999);
    expect(cert.checkPrivateKey(createPrivateKey(identity.keyPem))).to.equal(true);
    expect(identity.spkiHash).to.equal(
      spkiHashOfSpki(new Uint8Array(cert.publicKey.export({ type: 'spki', format: 'der' }))),
    );
    expect(identity.spkiHash).to.match(/^[A-Za-z0-9_-]{43}$/);
  });

  it('are created once in the private directory with mode 0600 and reloaded after', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lafs-cert-'));
    try {
      const first = await loadOrCreateTlsIdentity(join(dir, 'private'));
      const { mode } = await stat(join(dir, 'private', KEY_FILE));
      expect(mode & 0o777).to.equal(0o600);
      const second = await loadOrCreateTlsIdentity(join(dir, 'private'));
      expect(second.spkiHash).to.equal(first.spkiHash);
      await writeFile(join(dir, 'private', KEY_FILE), first.keyPem, { mode: 0o644 });
      const { chmod } = await import('node:fs/promises');
      await chmod(join(dir, 'private', KEY_FILE), 0o644);
      let caught: unknown;
      await loadOrCreateTlsIdentity(join(dir, 'private')).catch((e: unknown) => {
        caught = e;
      });
      expect(caught).to.be.instanceOf(InsecureKeyFileError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a damaged certificate or key file is a TlsIdentityFileError naming the file', async () => {
    const privateDir = join(makeTempDir('lafs-cert-'), 'private');
    const good = await loadOrCreateTlsIdentity(privateDir);
    for (const [file, text] of [
      [CERT_FILE, 'not a certificate\n'],
      [KEY_FILE, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'],
      [CERT_FILE, 'x'.repeat(100_000)],
    ] as const) {
      await writeFile(join(privateDir, CERT_FILE), good.certPem, { mode: 0o600 });
      await writeFile(join(privateDir, KEY_FILE), good.keyPem, { mode: 0o600 });
      await writeFile(join(privateDir, file), text, { mode: 0o600 });
      const error = await rejection(loadOrCreateTlsIdentity(privateDir), `a damaged ${file} was accepted`);
      expect(error, file).to.be.instanceOf(TlsIdentityFileError);
      expect(error.message).to.include(join(privateDir, file));
    }
  });
});
