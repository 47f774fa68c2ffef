import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { OnionKeyError } from '../../src/tor/errors.js';
import { readOnionKeyFile, writeOnionKeyFile } from '../../src/tor/onion-key-file.js';

const KEY =
  'ED25519-V3:6KbmOAFIQGgVV6a0xxAAXBS9JbrPzVUCr41xp97uImMcvyQ/TZgJ/LFKUt+gwMLmWLatqLHEJo5NnFzkONItoQ==';

describe('tor/onion-key-file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lafs-onion-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the key with mode 0600, leaves no temporary file, and reads it back', async () => {
    const path = join(dir, 'tor_onion.privkey');
    await writeOnionKeyFile(path, KEY);
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    expect(readFileSync(path, 'utf8')).to.equal(`${KEY}\n`);
    expect(readdirSync(dir)).to.deep.equal(['tor_onion.privkey']);
    expect((await readOnionKeyFile(path)).text).to.equal(KEY);
  });

  it('replaces an existing key file atomically', async () => {
    const path = join(dir, 'k');
    writeFileSync(path, 'old', { mode: 0o600 });
    await writeOnionKeyFile(path, KEY);
    expect((await readOnionKeyFile(path)).text).to.equal(KEY);
  });

  it('refuses to write a malformed key', async () => {
    const error = await writeOnionKeyFile(join(dir, 'k'), 'ED25519-V3:short').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OnionKeyError);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('refuses key files readable by others, naming the file and the fix', async () => {
    const path = join(dir, 'k');
    writeFileSync(path, KEY, { mode: 0o600 });
    chmodSync(path, 0o644);
    const error = await readOnionKeyFile(path).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(OnionKeyError).with.property('source', path);
    expect((error as Error).message).to.match(/644.*chmod 600/);
  });

  it('refuses malformed and oversized key files', async () => {
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'RSA1024:xyz', { mode: 0o600 });
    expect(await readOnionKeyFile(bad).catch((e: unknown) => e)).to.be.instanceOf(OnionKeyError);
    const big = join(dir, 'big');
    writeFileSync(big, 'x'.repeat(5000), { mode: 0o600 });
    expect(await readOnionKeyFile(big).catch((e: unknown) => e)).to.be.instanceOf(OnionKeyError);
  });
});
