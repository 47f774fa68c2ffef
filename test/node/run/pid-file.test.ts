import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { NodeAlreadyRunningError } from '../../../src/node/run/errors.js';
import { acquirePidFile, PID_FILE, readPidFile } from '../../../src/node/run/pid-file.js';

describe('node/run: the pid file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-pid-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes "<pid> <start time>" and removes it on release', async () => {
    const lock = await acquirePidFile(dir);
    expect(await readFile(join(dir, PID_FILE), 'utf8')).to.match(
      new RegExp(`^${process.pid} \\d+\\.\\d{3}\\n$`),
    );
    expect(await readPidFile(dir)).to.equal(process.pid);
    await lock.release();
    await lock.release();
    expect(await readPidFile(dir)).to.equal(undefined);
  });

  it('refuses while a live process holds it', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(join(dir, PID_FILE), `${child.pid} 1.000\n`);
      const error = await acquirePidFile(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(NodeAlreadyRunningError);
      expect((error as Error).message)
        .to.include(String(child.pid))
        .and.include('lafs stop');
    } finally {
      child.kill();
      await once(child, 'exit');
    }
  });

  it('replaces a file left by a process that no longer exists', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await once(child, 'exit');
    await writeFile(join(dir, PID_FILE), `${child.pid} 1.000\n`);
    const lock = await acquirePidFile(dir);
    expect(await readPidFile(dir)).to.equal(process.pid);
    await lock.release();
  });

  it('treats our own pid as stale when the file predates this process (a pid reused after a restart)', async () => {
    await writeFile(join(dir, PID_FILE), `${process.pid} 1.000\n`);
    const lock = await acquirePidFile(dir);
    const second = await acquirePidFile(dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(second, 'a second start in this process').to.be.instanceOf(NodeAlreadyRunningError);
    await lock.release();
  });

  it('does not remove a pid file that another process took over', async () => {
    const lock = await acquirePidFile(dir);
    await writeFile(join(dir, PID_FILE), '1 1.000\n');
    await lock.release();
    expect(await readPidFile(dir)).to.equal(1);
  });
});
