import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { decodeI2pBase64 } from '../../src/i2p/destination.js';
import { I2pKeyError, I2pKeyFilePermissionError } from '../../src/i2p/errors.js';
import { readPrivateKeyFile, writeDestinationFile, writePrivateKeyFile } from '../../src/i2p/key-files.js';
import { repoRoot } from '../support/paths.js';

const vector = JSON.parse(
  await readFile(join(repoRoot, 'test', 'i2p', 'vectors', 'destination.json'), 'utf8'),
) as { destination: string; privateKey: string };

describe('i2p/key-files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2p-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a private key with mode 0600 and reads it back', async () => {
    const path = join(dir, 'i2p_dest.privkey');
    await writePrivateKeyFile(path, vector.privateKey);
    expect((await stat(path)).mode & 0o777).to.equal(0o600);
    expect(await readPrivateKeyFile(path)).to.equal(vector.privateKey);
  });

  it('refuses to write something that is not a private key', async () => {
    const path = join(dir, 'bad.privkey');
    let error: unknown;
    await writePrivateKeyFile(path, vector.destination).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(I2pKeyError);
    await stat(path).then(
      () => expect.fail('file was written'),
      () => undefined,
    );
  });

  it('refuses a key file other users can read, unless told otherwise', async () => {
    const path = join(dir, 'open.privkey');
    await writeFile(path, vector.privateKey, { mode: 0o644 });
    let error: unknown;
    await readPrivateKeyFile(path).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(I2pKeyFilePermissionError);
    expect((error as Error).message)
      .to.contain('0644')
      .and.contain('chmod 600');
    expect(await readPrivateKeyFile(path, { allowInsecurePermissions: true })).to.equal(vector.privateKey);
  });

  it('reads a binary key file as i2pd writes it', async () => {
    const path = join(dir, 'keys.dat');
    await writeFile(path, decodeI2pBase64(vector.privateKey), { mode: 0o600 });
    expect(await readPrivateKeyFile(path)).to.equal(vector.privateKey);
  });

  it('names the file when its content is no key', async () => {
    const path = join(dir, 'junk.privkey');
    await writeFile(path, 'hello\n', { mode: 0o600 });
    let error: unknown;
    await readPrivateKeyFile(path).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(I2pKeyError);
    expect((error as Error).message).to.contain(path);
  });

  it('refuses an oversized file and honours an aborted signal', async () => {
    const path = join(dir, 'huge.privkey');
    await writeFile(path, 'A'.repeat(70 * 1024), { mode: 0o600 });
    let error: unknown;
    await readPrivateKeyFile(path).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(I2pKeyError);
    expect((error as Error).message).to.match(/limit is 65536/);
    await readPrivateKeyFile(path, { signal: AbortSignal.abort() }).catch((e: unknown) => {
      error = e;
    });
    expect(error).to.be.instanceOf(AbortError);
  });

  it('writes a public destination file', async () => {
    const path = join(dir, 'dest.pub');
    await writeDestinationFile(path, vector.destination);
    expect(await readFile(path, 'utf8')).to.equal(`${vector.destination}\n`);
  });
});
