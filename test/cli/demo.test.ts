import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cliPath } from '../support/paths.js';

const run = promisify(execFile);

describe('lafs demo', function () {
  this.timeout(60_000);

  it('runs a 5-server grid on loopback, round-trips a file and reports it verified (--json)', async () => {
    const { stdout } = await run(process.execPath, [cliPath, 'demo', '--size', '3000000', '--json']);
    const report = JSON.parse(stdout) as {
      cap: string;
      size: number;
      verified: boolean;
      happiness: number;
      webUrl: string;
      servers: { address: string; shares: number[] }[];
    };
    expect(report.verified).to.equal(true);
    expect(report.size).to.equal(3_000_000);
    expect(report.cap).to.match(/^URI:CHK:[a-z2-7]+:[a-z2-7]+:3:10:3000000$/);
    expect(report.happiness).to.equal(5);
    expect(report.servers).to.have.length(5);
    for (const s of report.servers) expect(s.address).to.match(/^127\.0\.0\.1:\d+$/);
    expect(report.webUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(report.servers.flatMap((s) => s.shares).sort((a, b) => a - b)).to.deep.equal([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });

  it('--keep leaves the grid and its web gateway running until SIGINT', async () => {
    const child = spawn(process.execPath, [cliPath, 'demo', '--size', '100000', '--keep'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = once(child, 'exit');
    try {
      const deadline = Date.now() + 50_000;
      const keepLine = /keeps running \(web gateway (\S+)\)/;
      while (!keepLine.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no --keep line:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const match = keepLine.exec(output) as RegExpExecArray;
      const response = await fetch(new URL('?t=json', match[1]), { signal: AbortSignal.timeout(10_000) });
      const welcome = (await response.json()) as { servers: { connected: boolean }[] };
      expect(welcome.servers.filter((s) => s.connected)).to.have.length(5);
      child.kill('SIGINT');
      expect((await exited)[0]).to.equal(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('rejects a bad --size with a usage error', async () => {
    const error = await run(process.execPath, [cliPath, 'demo', '--size', '-5']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(error).to.have.property('code', 2);
    expect((error as { stderr: string }).stderr).to.match(/--size must be a byte count, got -5/);
  });
});
