import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { x25519 } from '@noble/curves/ed25519.js';
import { expect } from 'chai';
import { base32Decode } from '../../src/crypto/base32.js';
import {
  clientAuthPublicKey,
  formatAuthorizedClient,
  formatClientAuthPrivate,
  generateClientAuthKeyPair,
  parseAuthorizedClientFile,
  parseClientAuthPrivateFile,
  readAuthorizedClients,
  readClientAuthCredentials,
} from '../../src/tor/client-auth.js';
import { OnionClientAuthError } from '../../src/tor/errors.js';
import { mintOnionKey } from '../../src/tor/onion-keygen.js';
import { makeTempDir } from '../support/temp-dirs.js';

// rend-spec-v3 G.1.2's example public key line.
const SPEC_PUBLIC = 'OM7TGIVRYMY6PFX6GAC6ATRTA5U6WW6U7A4ZNHQDI6OVL52XVV2Q';

describe('tor/client-auth: v3 client authorization keys and files', () => {
  const service = mintOnionKey().serviceId;
  let dir: string;
  before(async () => {
    dir = makeTempDir('lafs-client-auth-');
  });

  it('generates x25519 pairs whose public half derives from the private half', () => {
    const pair = generateClientAuthKeyPair();
    expect(pair.publicKey).to.match(/^[A-Z2-7]{52}$/);
    expect(pair.privateKey).to.match(/^[A-Z2-7]{52}$/);
    expect(clientAuthPublicKey(pair.privateKey)).to.equal(pair.publicKey);
    const raw = base32Decode(pair.privateKey.toLowerCase());
    expect(
      Buffer.from(x25519.getPublicKey(raw)).equals(Buffer.from(base32Decode(pair.publicKey.toLowerCase()))),
    ).to.equal(true);
    expect(generateClientAuthKeyPair().privateKey).to.not.equal(pair.privateKey);
  });

  it('parses the spec example and round-trips both file formats', () => {
    expect(parseAuthorizedClientFile(`descriptor:x25519:${SPEC_PUBLIC}\n`, 'x.auth')).to.equal(SPEC_PUBLIC);
    expect(parseAuthorizedClientFile(formatAuthorizedClient(SPEC_PUBLIC.toLowerCase()), 'x')).to.equal(
      SPEC_PUBLIC,
    );
    const pair = generateClientAuthKeyPair();
    const text = formatClientAuthPrivate(`${service}.onion`, pair.privateKey);
    expect(text).to.match(/^#/);
    const credential = parseClientAuthPrivateFile(text, 'c.auth_private');
    expect(credential.serviceId).to.equal(service);
    expect(Buffer.from(credential.privateKey)).to.deep.equal(
      Buffer.from(base32Decode(pair.privateKey.toLowerCase())),
    );
    // Tor's own files carry the address without ".onion"; both forms are accepted
    expect(
      parseClientAuthPrivateFile(`${service}.onion:descriptor:x25519:${pair.privateKey}`, 'c').serviceId,
    ).to.equal(service);
  });

  it('names the file and line of a malformed key', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).to.be.instanceOf(OnionClientAuthError);
        return (error as Error).message;
      }
      throw new Error('no error');
    };
    expect(bad(() => parseAuthorizedClientFile('# header\n\ndescriptor:ed25519:AAAA\n', 'k.auth'))).to.match(
      /k\.auth:3: expected "descriptor:x25519/,
    );
    expect(bad(() => parseAuthorizedClientFile(`descriptor:x25519:${SPEC_PUBLIC.slice(1)}`, 'k'))).to.match(
      /52 base32 characters, got 51/,
    );
    expect(bad(() => parseAuthorizedClientFile('', 'empty.auth'))).to.match(/exactly one key line, found 0/);
    expect(bad(() => parseClientAuthPrivateFile(`abc:descriptor:x25519:${SPEC_PUBLIC}`, 'p'))).to.match(
      /p:1: bad onion address/,
    );
    expect(bad(() => parseAuthorizedClientFile(`descriptor:x25519:${'1'.repeat(52)}`, 'k'))).to.match(
      /expected "descriptor/,
    );
  });

  it('reads a directory of .auth files, ignoring other files and duplicates', async () => {
    const clients = join(dir, 'authorized');
    await mkdir(clients);
    const a = generateClientAuthKeyPair();
    const b = generateClientAuthKeyPair();
    await writeFile(join(clients, 'alice.auth'), formatAuthorizedClient(a.publicKey));
    await writeFile(join(clients, 'bob.auth'), formatAuthorizedClient(b.publicKey));
    await writeFile(join(clients, 'bob-again.auth'), formatAuthorizedClient(b.publicKey));
    await writeFile(join(clients, 'README'), 'not a key');
    expect(await readAuthorizedClients(clients)).to.deep.equal([
      { name: 'alice', publicKey: a.publicKey },
      { name: 'bob-again', publicKey: b.publicKey },
    ]);
    const missing = await readAuthorizedClients(join(dir, 'nope')).catch((e: unknown) => e);
    expect(missing)
      .to.be.instanceOf(OnionClientAuthError)
      .with.property('message')
      .that.matches(/ENOENT/);
  });

  it('reads .auth_private files only when no one else can read them', async () => {
    const keys = join(dir, 'client');
    await mkdir(keys);
    const pair = generateClientAuthKeyPair();
    const file = join(keys, 'grid.auth_private');
    await writeFile(file, formatClientAuthPrivate(service, pair.privateKey), { mode: 0o600 });
    const [credential, ...rest] = await readClientAuthCredentials(keys);
    expect(rest).to.deep.equal([]);
    expect(credential).to.include({ serviceId: service, source: file });
    await chmod(file, 0o644);
    const open = await readClientAuthCredentials(keys).catch((e: unknown) => e);
    expect(open)
      .to.be.instanceOf(OnionClientAuthError)
      .with.property('message')
      .that.matches(/chmod 600/);
    await chmod(file, 0o600);
    await writeFile(join(keys, 'twice.auth_private'), formatClientAuthPrivate(service, pair.privateKey), {
      mode: 0o600,
    });
    const twice = await readClientAuthCredentials(keys).catch((e: unknown) => e);
    expect(twice)
      .to.be.instanceOf(OnionClientAuthError)
      .with.property('message')
      .that.matches(/second key/);
  });
});
