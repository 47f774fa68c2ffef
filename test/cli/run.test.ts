import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, [cliPath, ...args]).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => e,
  );
}

describe('lafs run / lafs stop: refusals', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lafs-run-cli-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses an invalid tahoe.cfg with exit 1, naming the key, and starts nothing', async () => {
    const nodeDir = join(dir, 'n');
    await run(process.execPath, [cliPath, 'create-client', '--webport=tcp:0:interface=127.0.0.1', nodeDir]);
    const cfg = await readFile(join(nodeDir, 'tahoe.cfg'), 'utf8');
    await writeFile(join(nodeDir, 'tahoe.cfg'), cfg.replace('shares.needed = 3', 'shares.needed = three'));
    const result = await fails(['run', nodeDir]);
    expect(result.code).to.equal(1);
    expect(result.stderr)
      .to.match(/\[client\] shares\.needed/)
      .and.include('three');
    for (const made of ['running.process', 'node.url', 'logs'])
      expect(
        await access(join(nodeDir, made)).then(
          () => made,
          () => undefined,
        ),
      ).to.equal(undefined);
  });

  it('refuses a directory that is not a node directory', async () => {
    const result = await fails(['run', dir]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/not a node directory/);
  });

  it('refuses a --timeout (stop) or --drain/--stop-timeout (run) that is not a number of seconds (exit 2)', async () => {
    for (const args of [
      ['stop', dir, '--timeout', 'soon'],
      ['stop', dir, '--timeout', '0'],
      ['run', dir, '--drain', 'x'],
      ['run', dir, '--stop-timeout', 'x'],
    ]) {
      const result = await fails(args);
      expect(result.code, args.join(' ')).to.equal(2);
      expect(result.stderr, args.join(' ')).to.match(
        /--(timeout|drain|stop-timeout) must be a number of seconds/,
      );
    }
  });

  it('lafs stop says when no node runs (exit 1)', async () => {
    const result = await fails(['stop', dir]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/no node is running/);
  });
});
