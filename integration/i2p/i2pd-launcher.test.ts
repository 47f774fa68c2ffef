/**
 * launchI2pd against the real i2pd: files and permissions, readiness, idempotent stop, stop by signal, and the
 * i2pd 2.45 quirk where SIGTERM is ignored after a SAM client hung up during SESSION CREATE.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { launchI2pd } from '../../src/i2p/i2pd-launcher.js';
import { SamClient } from '../../src/i2p/sam-client.js';
import { i2pdOrSkip, ZERO_HOP_OPTIONS } from '../support/i2p-router.js';
import { isAlive } from '../support/processes.js';

describe('i2p/launchI2pd with the real i2pd', function () {
  this.timeout(60_000);
  let executable: string;
  let dir: string;

  before(function () {
    executable = i2pdOrSkip(this);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2pd-launch-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts an isolated router whose SAM answers, with private files, and stops it (idempotently)', async () => {
    const started = Date.now();
    const router = await launchI2pd({ executable, dataDir: join(dir, 'i2pd'), mode: 'isolated' });
    const ready = Date.now() - started;
    try {
      expect(isAlive(router.pid)).to.equal(true);
      expect(await new SamClient({ port: router.samPort }).hello()).to.equal('3.1');
      expect((await stat(join(dir, 'i2pd'))).mode & 0o777).to.equal(0o700);
      expect((await stat(join(dir, 'i2pd', 'i2pd.conf'))).mode & 0o777).to.equal(0o600);
      const conf = await readFile(join(dir, 'i2pd', 'i2pd.conf'), 'utf8');
      expect(conf).to.contain(`port = ${router.samPort}`).and.contain('netid = 77');
    } finally {
      const stopping = Date.now();
      const first = router.stop();
      expect(router.stop()).to.equal(first);
      await first;
      console.log(`      SAM ready after ${ready} ms; stopped in ${Date.now() - stopping} ms`);
    }
    expect(await router.exited).to.equal(0);
    expect(isAlive(router.pid)).to.equal(false);
    await router.stop(); // still fine once exited
  });

  it('stops the router when the launch signal is aborted later', async () => {
    const controller = new AbortController();
    const router = await launchI2pd({
      executable,
      dataDir: join(dir, 'i2pd'),
      mode: 'isolated',
      signal: controller.signal,
    });
    controller.abort();
    await router.exited;
    expect(isAlive(router.pid)).to.equal(false);
  });

  it('still stops i2pd after a client hung up during SESSION CREATE (SIGKILL fallback)', async () => {
    const router = await launchI2pd({
      executable,
      dataDir: join(dir, 'i2pd'),
      mode: 'isolated',
      stopTimeoutMs: 3_000,
    });
    const client = new SamClient({ port: router.samPort });
    const error = await client
      .createSession({ options: ZERO_HOP_OPTIONS, timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortError);
    const stopping = Date.now();
    await router.stop();
    console.log(`      stopped in ${Date.now() - stopping} ms, exit status ${await router.exited}`);
    expect(isAlive(router.pid)).to.equal(false);
  });
});
