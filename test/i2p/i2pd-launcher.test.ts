import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { AbortError } from '../../src/errors.js';
import { I2pdNotFoundError, I2pdStartError } from '../../src/i2p/errors.js';
import { launchI2pd } from '../../src/i2p/i2pd-launcher.js';
import { combineSignals } from '../../src/util/abort.js';
import { rejection } from '../support/rejection.js';

describe('i2p/launchI2pd failures', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-i2pd-launch-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes an executable shell script standing in for i2pd. */
  async function script(body: string): Promise<string> {
    const path = join(dir, 'fake-i2pd');
    await writeFile(path, `#!/bin/sh\n${body}\n`);
    await chmod(path, 0o755);
    return path;
  }

  const failure = (promise: Promise<unknown>): Promise<Error> => rejection(promise, 'launch succeeded');

  it('reports a missing executable by name', async () => {
    const executable = join(dir, 'no-such-i2pd');
    const error = await failure(launchI2pd({ executable, dataDir: join(dir, 'data'), mode: 'isolated' }));
    expect(error).to.be.instanceOf(I2pdNotFoundError);
    expect(error).to.include({ code: 'ERR_I2PD_NOT_FOUND', executable });
  });

  it('reports an early exit with its exit status and last output', async () => {
    const executable = await script('echo "fatal: cannot bind 127.0.0.1" >&2; exit 3');
    const error = await failure(launchI2pd({ executable, dataDir: join(dir, 'data'), mode: 'isolated' }));
    expect(error).to.be.instanceOf(I2pdStartError);
    expect(error.message).to.contain('status 3').and.contain('fatal: cannot bind 127.0.0.1');
    expect((error as I2pdStartError).logTail).to.include('fatal: cannot bind 127.0.0.1');
  });

  it('gives up when SAM never answers, and stops the process', async () => {
    const executable = await script(`echo started; echo $$ > "${join(dir, 'pid')}"; exec sleep 30`);
    const error = await failure(
      launchI2pd({ executable, dataDir: join(dir, 'data'), mode: 'isolated', startTimeoutMs: 400 }),
    );
    expect(error).to.be.instanceOf(I2pdStartError);
    expect(error.message)
      .to.match(/did not answer within 400 ms/)
      .and.contain('started');
  });

  it('stops the process and rejects with AbortError when aborted during start', async () => {
    const executable = await script('exec sleep 30');
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    setTimeout(() => controller.abort(reason), 200);
    const error = await failure(
      launchI2pd({ executable, dataDir: join(dir, 'data'), mode: 'isolated', signal: controller.signal }),
    );
    expect(error).to.be.instanceOf(AbortError);
    expect(error.message).to.equal('launching i2pd was aborted');
    expect(error.cause).to.equal(reason);
  });

  it("words the caller's own deadline as a timeout, as raceAbort does", async () => {
    const executable = await script('exec sleep 30');
    const signal = combineSignals({ timeoutMs: 200 }, 'starting the test grid');
    const error = await failure(
      launchI2pd({ executable, dataDir: join(dir, 'data'), mode: 'isolated', signal }),
    );
    expect(error).to.be.instanceOf(AbortError);
    expect(error.message).to.equal('starting the test grid timed out after 200 ms');
  });
});
